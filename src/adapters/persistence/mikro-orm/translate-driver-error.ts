import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { clientIdConflict, ConflictError, DomainError, emailTaken, UnavailableError, usernameTaken } from '../../../domain/domain-error.js';

/** Failures that say "the database cannot serve you right now", not "your request is wrong". */
const UNAVAILABLE_CODES = new Set([
  // The socket: refused, reset, unreachable, timed out.
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH',
  'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  // mysql2 losing a connection it had.
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  // The server refusing work for now; a retry may succeed.
  'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT', 'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK', 'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR',
  // SQLite: another process holds the file, or the file cannot be used.
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY',
]);

/** The same failures by MySQL error number, for errors that carry no symbolic code. */
const UNAVAILABLE_ERRNOS = new Set([1040, 1044, 1045, 1049, 1053, 1203, 1205, 1213, 1927, 2002, 2003, 2005, 2006, 2013, 4031]);

const UNAVAILABLE_MESSAGES = [
  /Timeout acquiring a connection/i, // knex's pool: every connection busy or none could be opened
  /connection is in closed state/i,
  /Connection lost/i,
  /database is locked/i,
  /Unable to acquire a connection/i,
];

interface DriverFailure {
  code?: unknown;
  errno?: unknown;
  sqlMessage?: unknown;
  message?: unknown;
}

const isUniqueViolation = (error: DriverFailure): boolean =>
  error instanceof UniqueConstraintViolationException ||
  error.code === 'ER_DUP_ENTRY' ||
  error.errno === 1062 ||
  (typeof error.message === 'string' && error.message.includes('UNIQUE constraint failed'));

/**
 * Which field a unique violation is about. MySQL names the index
 * (`Duplicate entry 'x' for key 'users_username_unique'`), SQLite the column
 * (`UNIQUE constraint failed: users.username`).
 */
const conflictFor = (error: DriverFailure): ConflictError => {
  const text = `${String(error.sqlMessage ?? '')} ${String(error.message ?? '')}`;
  if (/users_username_unique|users\.username/.test(text)) return usernameTaken();
  if (/users_email_unique|users\.email/.test(text)) return emailTaken();
  if (/messages_session_client_unique|messages\.client_id/.test(text)) return clientIdConflict();
  return new ConflictError('Already exists');
};

const isUnavailable = (error: DriverFailure): boolean =>
  (typeof error.code === 'string' && UNAVAILABLE_CODES.has(error.code)) ||
  (typeof error.errno === 'number' && UNAVAILABLE_ERRNOS.has(error.errno)) ||
  (typeof error.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message as string)));

/**
 * Turns a driver's failure into the domain's vocabulary (rule 4: errors are mapped once, here for
 * persistence): a duplicate key is a conflict, a database that cannot be reached or is too busy
 * is unavailable. Anything else is returned unchanged: it is a bug, and the caller should see it.
 */
export const translateDriverError = (error: unknown): unknown => {
  if (error instanceof DomainError || typeof error !== 'object' || error === null) return error;
  const failure = error as DriverFailure;
  if (isUniqueViolation(failure)) return conflictFor(failure);
  if (isUnavailable(failure)) return new UnavailableError('Database unavailable', { cause: error });
  return error;
};
