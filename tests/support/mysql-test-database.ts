import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import type { DatabaseOptions, DatabasePoolOptions } from '../../src/configuration/database-options.js';
import { type Environment, parseDatabaseConfig } from '../../src/config.js';
import { createMySqlDatabase } from '../../src/adapters/persistence/mikro-orm/create-mysql-database.js';
import { withMySqlServer } from '../../src/adapters/persistence/mikro-orm/with-mysql-server.js';

export type MySqlOptions = Extract<DatabaseOptions, { kind: 'mysql' }>;

export interface MySqlTestDatabase {
  readonly options: MySqlOptions;
  drop(): Promise<void>;
}

const TEST_MYSQL_URL = process.env['TEST_MYSQL_URL']?.trim() || undefined;
const REQUIRE_MYSQL = process.env['REQUIRE_MYSQL'] === '1';

/**
 * A database of its own for one test file, with a random name, on the server of `TEST_MYSQL_URL`
 * (any database named in the URL is ignored). `drop` removes it. The pool settings are those `env`
 * names (`DB_POOL_MIN`, `DB_ACQUIRE_TIMEOUT_MS`, ...), read as the server reads them, then `pool`.
 */
export const createMySqlTestDatabase = async (
  pool: Partial<DatabasePoolOptions> = {},
  env: Environment = {},
): Promise<MySqlTestDatabase> => {
  if (!TEST_MYSQL_URL) throw new Error('TEST_MYSQL_URL is not set');
  const server = parseDatabaseConfig({ ...env, DATABASE_URL: TEST_MYSQL_URL });
  if (server.kind !== 'mysql') throw new Error('TEST_MYSQL_URL must be a mysql:// URL');
  const options: MySqlOptions = {
    ...server,
    database: `chat_test_${randomBytes(6).toString('hex')}`,
    pool: { ...server.pool, ...pool },
  };
  await createMySqlDatabase(options);
  return {
    options,
    drop: () =>
      withMySqlServer(options, async (session) => {
        await session.execute(`DROP DATABASE IF EXISTS ${session.quoteIdentifier(options.database)}`);
      }),
  };
};

/**
 * `describe` for tests that need MySQL: they run when `TEST_MYSQL_URL` is set; otherwise the run
 * says plainly that they were skipped, and under `REQUIRE_MYSQL=1` (CI) the skip is a failure.
 */
export const describeWithMySql = (title: string, body: () => void): void => {
  if (TEST_MYSQL_URL) {
    describe(title, body);
    return;
  }
  if (REQUIRE_MYSQL) {
    describe(title, () => {
      it('needs TEST_MYSQL_URL, because REQUIRE_MYSQL=1 says MySQL must not be skipped', () => {
        throw new Error('REQUIRE_MYSQL=1 but TEST_MYSQL_URL is not set (e.g. TEST_MYSQL_URL=mysql://root@127.0.0.1:3306)');
      });
    });
    return;
  }
  console.warn(`[mysql] SKIPPED "${title}": set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306 to run it against MySQL`);
  describe.skip(`${title} (skipped: TEST_MYSQL_URL is not set)`, body);
};
