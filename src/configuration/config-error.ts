/** Variables whose value is never printed, not even when it is refused: only its length is. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['JWT_SECRET_KEY', 'SECRET_KEY', 'MYSQL_PASSWORD']);

const SHOWN_LENGTH = 80;

/**
 * A value as an error may show it: quoted and escaped (so it stays on one line), cut short, a
 * secret by its length only, and anything before an `@` (a URL's user and password) masked.
 */
const shown = (variable: string, value: string | undefined): string => {
  if (value === undefined) return 'nothing';
  if (SECRET_VARIABLES.has(variable)) return `${Buffer.byteLength(value, 'utf8')} bytes`;
  const masked = value.replace(/^([a-z][\w+.-]*:\/\/)?.*@/is, '$1***@');
  return JSON.stringify(masked.length > SHOWN_LENGTH ? `${masked.slice(0, SHOWN_LENGTH - 1)}…` : masked);
};

/** A configuration problem, worded as the one line an operator needs to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  /** The one wording of every refused value: `NAME must be <requirement>, got "<value>"`. */
  static refusing(variable: string, requirement: string, value: string | undefined): ConfigError {
    return new ConfigError(`${variable} must be ${requirement}, got ${shown(variable, value)}`);
  }
}
