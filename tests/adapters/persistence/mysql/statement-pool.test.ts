/**
 * The pool plain statements outside a transaction run on (`MySqlStatementPool`) keeps knex's
 * pool's guarantees: a statement that cannot get a connection within DB_ACQUIRE_TIMEOUT_MS fails as
 * unavailable, the connection that comes free afterwards is not lost, a statement left unanswered
 * is cut, and rows read exactly as on MikroORM's own path.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { MySqlStatementPool } from '../../../../src/adapters/persistence/mikro-orm/mysql-statement-pool.js';
import { translateDriverError } from '../../../../src/adapters/persistence/mikro-orm/translate-driver-error.js';
import { UnavailableError } from '../../../../src/domain/domain-error.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';

const ACQUIRE_MS = 300;
const STATEMENT_MS = 1_000;

describeWithMySql('MySQL: the statement pool', () => {
  let database: MySqlTestDatabase;
  let persistence: MikroOrmPersistence;
  let pool: MySqlStatementPool;

  beforeAll(async () => {
    database = await createMySqlTestDatabase({ min: 0, max: 1, acquireTimeoutMs: ACQUIRE_MS, statementTimeoutMs: STATEMENT_MS });
    persistence = await openMikroOrmPersistence(database.options, { migrate: true });
    const knex = (persistence.orm.em.getConnection() as unknown as { getKnex(): { client: { connectionSettings: object } } }).getKnex();
    pool = new MySqlStatementPool(knex.client.connectionSettings, { max: 1, acquireTimeoutMs: ACQUIRE_MS, statementTimeoutMs: STATEMENT_MS });
  });

  afterAll(async () => {
    await pool?.close();
    await persistence?.close();
    await database?.drop();
  });

  const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await pool.query(sql, [])) as Record<string, unknown>[];

  it('when its only connection is busy past the acquire timeout, a statement fails as unavailable, and the connection then serves again', async () => {
    const busy = rows('SELECT SLEEP(0.8) AS slept');
    const started = performance.now();
    const failure = await rows('SELECT 1 AS one').then(
      () => null,
      (error: unknown) => translateDriverError(error),
    );

    expect(failure).toBeInstanceOf(UnavailableError);
    expect(performance.now() - started).toBeLessThan(ACQUIRE_MS + 400);
    expect(await busy).toEqual([{ slept: 0 }]);
    // The connection the late caller was handed went back to the pool: one open, none in use.
    expect(await rows('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    expect(pool.use()).toEqual({ used: 0, free: 1, pendingAcquires: 0, max: 1 });
  });

  it('a statement unanswered past the statement timeout fails as unavailable, and the next one gets a fresh connection', async () => {
    const before = (await rows('SELECT CONNECTION_ID() AS id'))[0]?.['id'];
    const failure = await rows('SELECT SLEEP(3)').then(
      () => null,
      (error: unknown) => translateDriverError(error),
    );

    expect(failure).toBeInstanceOf(UnavailableError);
    const after = (await rows('SELECT CONNECTION_ID() AS id'))[0]?.['id'];
    expect(after).not.toBe(before);
  });

  it('reads a row exactly as MikroORM reads it: datetimes as UTC text, big numbers as strings', async () => {
    const sql = "SELECT CAST('2026-01-02 03:04:05.678' AS DATETIME(3)) AS at, 9007199254740993 AS big, 'text' AS s";
    const viaOrm = await persistence.orm.em.getConnection().execute(sql);

    expect(await rows(sql)).toEqual(viaOrm);
  });
});
