import { describe } from 'vitest';
import { describeWithMySql } from './mysql-test-database.js';
import type { TestDatabase } from './http-test-server.js';

/**
 * Runs one HTTP suite against each database the app can be composed with: the in-memory adapter
 * and SQLite always, and MySQL too when `withMySql` is set and `TEST_MYSQL_URL` names a server
 * (otherwise the run prints that it was skipped, and `REQUIRE_MYSQL=1` makes that a failure).
 */
export const describeOverDatabases = (
  title: string,
  body: (database: TestDatabase) => void,
  { withMySql = false }: { withMySql?: boolean } = {},
): void => {
  describe.each(['memory', 'sqlite'] as const)(`${title} (%s)`, (database) => body(database));
  if (withMySql) describeWithMySql(`${title} (mysql)`, () => body('mysql'));
};
