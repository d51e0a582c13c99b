import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TokenPair } from '../../../../src/application/auth/token-pair.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';
import { realUseCasesOver, type RealUseCases } from '../../../support/real-use-cases.js';

const TABS = 10;
const ROUNDS = 5;

describeWithMySql('MySQL: concurrent refreshes with one token, through the real RefreshLogin', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;
  let app: RealUseCases;

  beforeAll(async () => {
    // More connections than tabs, so every refresh really is in flight at once.
    database = await createMySqlTestDatabase({ max: TABS + 5 });
    storage = await openMikroOrmFixture(database.options);
    app = realUseCasesOver(storage);
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  /**
   * Every tab refreshes at once. Counted on the way: how many tabs had asked for the login before
   * the first rotation was stored. Each of those, without the row lock, would have read the token
   * unspent and lost the compare-and-set (a 401), so a count above one shows the lock decided.
   */
  const refreshTogether = async (refreshToken: string) => {
    const logins = storage.logins;
    const lockedRead = logins.findByIdForUpdate.bind(logins);
    const rotation = logins.saveRotation.bind(logins);
    let asked = 0;
    let askedBeforeTheRotation: number | null = null;
    logins.findByIdForUpdate = (id) => {
      asked += 1;
      return lockedRead(id);
    };
    logins.saveRotation = async (login, previousHash) => {
      const won = await rotation(login, previousHash);
      askedBeforeTheRotation ??= asked;
      return won;
    };
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: TABS }, () => app.useCases.refreshLogin.execute({ refreshToken })),
      );
      return { outcomes, askedBeforeTheRotation: askedBeforeTheRotation ?? 0 };
    } finally {
      logins.findByIdForUpdate = lockedRead;
      logins.saveRotation = rotation;
    }
  };

  it(`when ${TABS} refreshes with one token run at once, ${ROUNDS} times over, all get the one pair minted, and it works`, async () => {
    let contended = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const registered = await app.useCases.registerUser.execute({
        username: `tabs_${round}`,
        email: `tabs${round}@example.com`,
        password: 'Tabbed-Passw0rd',
      });

      const { outcomes, askedBeforeTheRotation } = await refreshTogether(registered.tokens.refreshToken);
      if (askedBeforeTheRotation > 1) contended += 1;

      // Never a 401, a deadlock or a lock timeout: every tab gets the pair.
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
      expect(failures).toEqual([]);
      const pairs = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      const [pair] = pairs as [TokenPair];
      for (const each of pairs) {
        expect(each.accessToken).toBe(pair.accessToken);
        expect(each.refreshToken).toBe(pair.refreshToken);
      }
      expect(pair.refreshToken).not.toBe(registered.tokens.refreshToken);
      // One rotation was stored: the login expects the shared pair's refresh token, which works.
      const principal = await app.useCases.authenticate.execute({ accessToken: pair.accessToken });
      expect(principal.userId).toBe(registered.user.id);
      const next = await app.useCases.refreshLogin.execute({ refreshToken: pair.refreshToken });
      expect(next.refreshToken).not.toBe(pair.refreshToken);
      expect(app.events.events.filter((event) => event.type === 'logins.ended')).toEqual([]);
    }
    // The tabs really met at the database in at least one round (in practice, in every one).
    expect(contended).toBeGreaterThan(0);
  });
});
