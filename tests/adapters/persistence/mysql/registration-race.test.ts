import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ConflictError } from '../../../../src/domain/domain-error.js';
import type { User } from '../../../../src/domain/user.entity.js';
import { aLogin, aUser } from '../../../support/builders.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

const RIVALS = 20;
const ROUNDS = 5;

describeWithMySql('MySQL: concurrent registrations', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;

  beforeAll(async () => {
    // More connections than rivals, so every insert really is in flight at once.
    database = await createMySqlTestDatabase({ max: RIVALS + 5 });
    storage = await openMikroOrmFixture(database.options);
  });

  beforeEach(async () => {
    await storage.reset();
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  const race = async (rivals: User[], register: (user: User) => Promise<unknown>) => {
    const outcomes = await Promise.allSettled(rivals.map(register));
    const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [rivals[index]] : []));
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    return { winners, failures };
  };

  const expectOneWinner = (
    { winners, failures }: { winners: (User | undefined)[]; failures: unknown[] },
    code: 'username_taken' | 'email_taken',
  ) => {
    expect(winners).toHaveLength(1);
    expect(failures).toHaveLength(RIVALS - 1);
    for (const failure of failures) {
      // Never a deadlock, a lock timeout or a raw driver error: only the conflict.
      expect(failure).toBeInstanceOf(ConflictError);
      expect(failure).toMatchObject({ kind: 'conflict', code });
    }
  };

  it(`when ${RIVALS} rivals add one username at once, ${ROUNDS} times over, each time one is stored and the rest conflict`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const name = `racer_${round}`;
      const rivals = Array.from({ length: RIVALS }, (_, i) => aUser({ username: i % 2 === 0 ? name : name.toUpperCase() }));

      const result = await race(rivals, (user) => storage.users.add(user));

      expectOneWinner(result, 'username_taken');
      expect((await storage.users.findByUsername(name))?.id).toBe(result.winners[0]?.id);
    }
  });

  it(`when ${RIVALS} rivals register one email at once, the way the use case does (user and login in one transaction), one wins`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const rivals = Array.from({ length: RIVALS }, () => aUser({ email: `race${round}@example.com` }));

      const result = await race(rivals, (user) =>
        storage.transactions.run(async () => {
          await storage.users.add(user);
          await storage.logins.add(aLogin({ userId: user.id }));
        }),
      );

      expectOneWinner(result, 'email_taken');
      const stored = await storage.users.findByEmail(`RACE${round}@example.com`);
      expect(stored?.id).toBe(result.winners[0]?.id);
      const [row] = (await storage.orm.em.getConnection().execute('SELECT COUNT(*) AS n FROM logins')) as { n: number }[];
      expect(row?.n).toBe(round + 1);
    }
  });
});
