/**
 * The serving pool cuts a connection whose statement goes unanswered for DB_STATEMENT_TIMEOUT_MS
 * (`cutSilentStatements` in mikro-orm-options.ts), so a database that stops answering cannot hang
 * a request. Here on a live server: `SELECT SLEEP(n)` is a statement the server answers late.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { translateDriverError } from '../../../../src/adapters/persistence/mikro-orm/translate-driver-error.js';
import { UnavailableError } from '../../../../src/domain/domain-error.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';

const LIMIT_MS = 1_000;

describeWithMySql('MySQL: a statement the server does not answer in time', () => {
  let database: MySqlTestDatabase;
  let persistence: MikroOrmPersistence;

  beforeAll(async () => {
    database = await createMySqlTestDatabase({ min: 0, max: 1, statementTimeoutMs: LIMIT_MS, connectTimeoutMs: 1_000 });
    persistence = await openMikroOrmPersistence(database.options, { migrate: true });
  });

  afterAll(async () => {
    await persistence?.close();
    await database?.drop();
  });

  const query = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await persistence.orm.em.getConnection().execute(sql)) as Record<string, unknown>[];
  const connectionId = async (): Promise<unknown> => (await query('SELECT CONNECTION_ID() AS id'))[0]?.['id'];

  it('an answer that comes within the limit is awaited, and an idle connection is kept however long it idles', async () => {
    const before = await connectionId();
    expect(await query('SELECT SLEEP(0.3) AS slept')).toEqual([{ slept: 0 }]);
    await new Promise((resolve) => setTimeout(resolve, LIMIT_MS * 1.5));

    // One connection in the pool (max 1): the same one, still open after idling past the limit.
    expect(await connectionId()).toBe(before);
  });

  it('a statement unanswered past the limit fails as unavailable, and the next one gets a fresh connection', async () => {
    const before = await connectionId();
    const started = performance.now();
    const failure = await query('SELECT SLEEP(3)').then(
      () => null,
      (error: unknown) => translateDriverError(error),
    );

    expect(failure).toBeInstanceOf(UnavailableError);
    expect(performance.now() - started).toBeLessThan(LIMIT_MS + 1_500);
    const after = await connectionId();
    expect(after).not.toBe(before);
    expect(await persistence.ping()).toBe(true);
  });
});
