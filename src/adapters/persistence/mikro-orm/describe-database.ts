import { resolve } from 'node:path';
import type { DatabaseOptions } from '../../../configuration/database-options.js';

/** The database in words an operator recognizes, for start-up lines and the db scripts. */
export const describeDatabase = (database: DatabaseOptions): string =>
  database.kind === 'mysql'
    ? `MySQL database ${database.database} at ${database.host}:${database.port}`
    : `SQLite database ${resolve(database.path)}`;

/** Why the database could not be used: the driver's own cause, not the wrapper around it. */
export const describeDatabaseFailure = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  // knex words a server that never answers as a full pool, which sends operators the wrong way.
  return /Timeout acquiring a connection/i.test(message)
    ? 'no connection could be opened in time (the server does not answer; see DB_CONNECT_TIMEOUT_MS)'
    : message;
};
