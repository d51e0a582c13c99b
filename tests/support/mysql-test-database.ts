import { randomBytes } from 'node:crypto';
import type { DatabaseOptions, DatabasePoolOptions } from '../../src/configuration/database-options.js';
import { type Environment, parseDatabaseConfig } from '../../src/config.js';
import { createMySqlDatabase } from '../../src/adapters/persistence/mikro-orm/create-mysql-database.js';
import { withMySqlServer } from '../../src/adapters/persistence/mikro-orm/with-mysql-server.js';
import { describeWithServices, MYSQL, urlOf } from './required-services.js';

export type MySqlOptions = Extract<DatabaseOptions, { kind: 'mysql' }>;

export interface MySqlTestDatabase {
  readonly options: MySqlOptions;
  drop(): Promise<void>;
}

const TEST_MYSQL_URL = urlOf(MYSQL);

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

/** `describe` for tests that need MySQL (see `describeWithServices`). */
export const describeWithMySql = (title: string, body: () => void): void => describeWithServices(title, [MYSQL], body);
