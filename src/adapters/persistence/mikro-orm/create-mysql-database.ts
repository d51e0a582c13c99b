import type { DatabaseOptions } from '../../../configuration/database-options.js';
import { withMySqlServer } from './with-mysql-server.js';

/**
 * Creates the application's database unless it exists (the seed's `setup_database.py`), with the
 * character set that keeps emoji: its tables inherit it. Answers whether it had to be created.
 */
export const createMySqlDatabase = (options: Extract<DatabaseOptions, { kind: 'mysql' }>): Promise<boolean> =>
  withMySqlServer(options, async (server) => {
    const existing = await server.execute('SELECT SCHEMA_NAME FROM SCHEMATA WHERE SCHEMA_NAME = ?', [options.database]);
    if (existing.length > 0) return false;
    await server.execute(
      `CREATE DATABASE IF NOT EXISTS ${server.quoteIdentifier(options.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return true;
  });
