const digit = (text: string, at: number): number => text.charCodeAt(at) - 48;

/** `2026-01-31 12:00:00.123`: MySQL's DATETIME(3) as mysql2 gives it with `dateStrings`, in UTC. */
const isDatetime3 = (text: string): boolean =>
  text.length === 23 && text[4] === '-' && text[7] === '-' && text[10] === ' ' && text[13] === ':' && text[16] === ':' && text[19] === '.';

/**
 * A MySQL DATETIME(3) text as the instant it names, parsed from its digits: a third of the time
 * `Date` takes to parse the text rewritten as ISO 8601, on every timestamp of every page read.
 */
const fromDatetime3 = (text: string): Date =>
  new Date(
    Date.UTC(
      digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3),
      digit(text, 5) * 10 + digit(text, 6) - 1,
      digit(text, 8) * 10 + digit(text, 9),
      digit(text, 11) * 10 + digit(text, 12),
      digit(text, 14) * 10 + digit(text, 15),
      digit(text, 17) * 10 + digit(text, 18),
      digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22),
    ),
  );

/**
 * Reading raw result rows the same way on every driver: MySQL (mysql2 with `dateStrings`) gives
 * DATETIME as a UTC string and BIGINT as a number, SQLite gives datetimes as epoch milliseconds.
 */
export const rowValue = {
  number(value: unknown): number {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
    throw new TypeError(`expected a number from the database, got ${typeof value}`);
  },

  /** Both drivers store booleans as 0/1 integers. */
  boolean(value: unknown): boolean {
    if (typeof value === 'boolean') return value;
    return rowValue.number(value) !== 0;
  },

  string(value: unknown): string {
    if (typeof value === 'string') return value;
    throw new TypeError(`expected a string from the database, got ${typeof value}`);
  },

  date(value: unknown): Date {
    if (value instanceof Date) return new Date(value.getTime());
    if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
    if (typeof value === 'string') {
      if (isDatetime3(value)) return fromDatetime3(value);
      if (/^\d+$/.test(value)) return new Date(Number(value));
      // `2026-01-31 12:00:00.123`, written in UTC (forceUtcTimezone).
      return new Date(`${value.replace(' ', 'T')}Z`);
    }
    throw new TypeError(`expected a date from the database, got ${typeof value}`);
  },

  nullableDate(value: unknown): Date | null {
    return value === null || value === undefined ? null : rowValue.date(value);
  },

  nullableNumber(value: unknown): number | null {
    return value === null || value === undefined ? null : rowValue.number(value);
  },

  nullableString(value: unknown): string | null {
    return value === null || value === undefined ? null : rowValue.string(value);
  },

  /**
   * A JSON column: MySQL 8 gives it parsed, MariaDB (where JSON is LONGTEXT) and SQLite as text.
   * Only the domain writes these columns, and only objects.
   */
  nullableJsonObject<T extends object>(value: unknown): T | null {
    if (value === null || value === undefined) return null;
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TypeError(`expected a JSON object from the database, got ${typeof parsed}`);
    }
    return parsed as T;
  },
};
