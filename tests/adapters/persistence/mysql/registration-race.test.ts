import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { RegisterUserInput, RegisterUserOutput } from '../../../../src/application/auth/register-user.use-case.js';
import { ConflictError } from '../../../../src/domain/domain-error.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';
import { realUseCasesOver, type RealUseCases } from '../../../support/real-use-cases.js';

const RIVALS = 20;
const ROUNDS = 5;
const PASSWORD = 'Racer-Passw0rd';

describeWithMySql('MySQL: concurrent registrations, through the real RegisterUser', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;
  let app: RealUseCases;

  beforeAll(async () => {
    // More connections than rivals, so every registration really is in flight at once.
    database = await createMySqlTestDatabase({ max: RIVALS + 5 });
    storage = await openMikroOrmFixture(database.options);
    app = realUseCasesOver(storage);
  });

  beforeEach(async () => {
    await storage.reset();
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  /**
   * Every rival calls the use case at once; who won, how every other one failed, and how many got
   * past the use case's friendly "already taken?" reads to the insert, where the unique keys decide.
   */
  const race = async (rivals: RegisterUserInput[]) => {
    const inserts = vi.spyOn(storage.users, 'add');
    try {
      const outcomes = await Promise.allSettled(rivals.map((input) => app.useCases.registerUser.execute(input)));
      const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
      return { winners, failures, insertsTried: inserts.mock.calls.length };
    } finally {
      inserts.mockRestore();
    }
  };

  /**
   * Over all rounds, more inserts than winners: rivals really did reach the database together, so
   * the conflicts asserted came (at least partly) from the unique keys, not only from the reads
   * before them. (In practice all 20 rivals of every round reach the insert.)
   */
  const expectTheDatabaseSettledIt = (insertsTried: number) => {
    expect(insertsTried).toBeGreaterThan(ROUNDS);
  };

  const expectOneWinner = (
    { winners, failures }: { winners: RegisterUserOutput[]; failures: unknown[] },
    code: 'username_taken' | 'email_taken',
  ): RegisterUserOutput => {
    expect(winners).toHaveLength(1);
    expect(failures).toHaveLength(RIVALS - 1);
    for (const failure of failures) {
      // Never a deadlock, a lock timeout or a raw driver error (a 500): only the conflict (a 409).
      expect(failure).toBeInstanceOf(ConflictError);
      expect(failure).toMatchObject({ kind: 'conflict', code });
    }
    const [winner] = winners;
    if (!winner) throw new Error('no winner');
    return winner;
  };

  /** The winner is fully registered: its account is stored, and its login is live (committed with it). */
  const expectRegistered = async (winner: RegisterUserOutput, loginsSoFar: number) => {
    const principal = await app.useCases.authenticate.execute({ accessToken: winner.tokens.accessToken });
    expect(principal.userId).toBe(winner.user.id);
    const profile = await app.useCases.getProfile.execute({ userId: winner.user.id });
    expect(profile.id).toBe(winner.user.id);
    // Losers leave nothing behind: one user and one login per round.
    const connection = storage.orm.em.getConnection();
    const [users] = (await connection.execute('SELECT COUNT(*) AS n FROM users')) as { n: number }[];
    const [logins] = (await connection.execute('SELECT COUNT(*) AS n FROM logins')) as { n: number }[];
    expect(users?.n).toBe(loginsSoFar);
    expect(logins?.n).toBe(loginsSoFar);
  };

  it(`when ${RIVALS} rivals register one username at once (different emails), ${ROUNDS} times over, one wins and the rest get username_taken`, async () => {
    let insertsTried = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const name = `racer_${round}`;
      const rivals = Array.from({ length: RIVALS }, (_, i) => ({
        // Half in capitals: usernames are unique regardless of case.
        username: i % 2 === 0 ? name : name.toUpperCase(),
        email: `racer${round}.${i}@example.com`,
        password: PASSWORD,
      }));

      const result = await race(rivals);
      insertsTried += result.insertsTried;

      const winner = expectOneWinner(result, 'username_taken');

      expect((await storage.users.findByUsername(name))?.id).toBe(winner.user.id);
      await expectRegistered(winner, round + 1);
    }
    expectTheDatabaseSettledIt(insertsTried);
  });

  it(`when ${RIVALS} rivals register one email at once (different usernames), ${ROUNDS} times over, one wins and the rest get email_taken`, async () => {
    let insertsTried = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const email = `race${round}@example.com`;
      const rivals = Array.from({ length: RIVALS }, (_, i) => ({
        username: `rival_${round}_${i}`,
        // Half in capitals: emails are compared lower-cased.
        email: i % 2 === 0 ? email : email.toUpperCase(),
        password: PASSWORD,
      }));

      const result = await race(rivals);
      insertsTried += result.insertsTried;

      const winner = expectOneWinner(result, 'email_taken');

      expect((await storage.users.findByEmail(email))?.id).toBe(winner.user.id);
      await expectRegistered(winner, round + 1);
    }
    expectTheDatabaseSettledIt(insertsTried);
  });
});
