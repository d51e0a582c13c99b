/**
 * How an error is written to the log. A database driver's error message carries the statement it
 * ran with its values inlined (knex prefixes every message with the query: an insert of a user
 * holds the email and the password hash), so for those only the kind, codes and stack frames are
 * kept. Other errors keep their message, which is written by code, not by users.
 */

const DRIVER_PROPERTIES = ['sql', 'sqlMessage', 'sqlState', 'errno'] as const;
const SQL_TEXT = /\b(insert\s+into|update\s+\S+\s+set|select\s.+\sfrom|delete\s+from|duplicate entry)\b/is;
const MAX_CAUSE_DEPTH = 5;

const isDriverError = (error: Error): boolean =>
  DRIVER_PROPERTIES.some((property) => property in error) || SQL_TEXT.test(error.message);

/** The stack's frames only: its first lines repeat the message. */
const framesOf = (error: Error): string | undefined =>
  error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');

export const serializeErrorSafely = (error: unknown, depth = 0): Record<string, unknown> => {
  if (!(error instanceof Error)) return { type: typeof error };
  const record = error as Error & { code?: unknown; errno?: unknown; sqlState?: unknown };
  const serialized: Record<string, unknown> = {
    type: error.name,
    message: isDriverError(error) ? '[withheld: a driver message may hold SQL and its values]' : error.message,
    stack: framesOf(error),
  };
  for (const key of ['code', 'errno', 'sqlState'] as const) {
    if (typeof record[key] === 'string' || typeof record[key] === 'number') serialized[key] = record[key];
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) serialized['cause'] = serializeErrorSafely(error.cause, depth + 1);
  return serialized;
};
