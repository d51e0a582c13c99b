import { MikroORM } from '@mikro-orm/core';
import type { DatabaseOptions } from '../../../configuration/database-options.js';
import { mikroOrmOptions } from './mikro-orm-options.js';
import { translateDriverError } from './translate-driver-error.js';

export interface MySqlServerSession {
  execute(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** A database or table name, quoted for SQL. */
  quoteIdentifier(name: string): string;
}

/**
 * Runs `work` on a short-lived connection to the server itself rather than to the application's
 * database, which may not exist yet (creating or dropping databases).
 */
export const withMySqlServer = async <T>(
  options: Extract<DatabaseOptions, { kind: 'mysql' }>,
  work: (server: MySqlServerSession) => Promise<T>,
): Promise<T> => {
  // Every account may open information_schema, so this works before the database exists.
  const orm = await MikroORM.init(
    mikroOrmOptions({ ...options, database: 'information_schema', pool: { ...options.pool, min: 0, max: 1 } }),
  );
  const connection = orm.em.getConnection();
  try {
    return await work({
      execute: async (sql, params = []) => (await connection.execute(sql, [...params])) as Record<string, unknown>[],
      quoteIdentifier: (name) => `\`${name.replaceAll('`', '``')}\``,
    });
  } catch (error) {
    throw translateDriverError(error);
  } finally {
    await orm.close(true);
  }
};
