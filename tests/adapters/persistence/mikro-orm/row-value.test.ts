import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowValue } from '../../../../src/adapters/persistence/mikro-orm/row-value.js';

/** A time as mysql2 gives a DATETIME(3) column with `dateStrings`: UTC, milliseconds, a space. */
const mysqlText = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

// MySQL's DATETIME range.
const DATETIME_RANGE = { min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };

describe('rowValue.date', () => {
  it('when MySQL gives a DATETIME(3) text, it reads as that instant and writes back as the same time in ISO 8601', () => {
    fc.assert(
      fc.property(fc.integer(DATETIME_RANGE), (ms) => {
        const read = rowValue.date(mysqlText(ms));
        expect(read).toBeInstanceOf(Date);
        expect(read.getTime()).toBe(ms);
        expect(read.toISOString()).toBe(new Date(ms).toISOString());
        expect(JSON.stringify({ at: read })).toBe(JSON.stringify({ at: new Date(ms) }));
      }),
      { numRuns: 2000 },
    );
  });

  it('when a time read from MySQL is changed afterwards, it writes out the new time, not the text it was read from', () => {
    const read = rowValue.date('2026-01-31 12:00:00.123');
    read.setTime(Date.UTC(2027, 5, 1, 8, 30));
    expect(read.toISOString()).toBe('2027-06-01T08:30:00.000Z');
    read.setUTCMilliseconds(7);
    expect(read.toISOString()).toBe('2027-06-01T08:30:00.007Z');
  });

  it('when a time comes as epoch milliseconds (SQLite), as digits, or without milliseconds, it reads as that instant', () => {
    const ms = Date.UTC(2026, 0, 31, 12, 0, 0, 123);
    expect(rowValue.date(ms).getTime()).toBe(ms);
    expect(rowValue.date(BigInt(ms)).getTime()).toBe(ms);
    expect(rowValue.date(String(ms)).getTime()).toBe(ms);
    expect(rowValue.date('2026-01-31 12:00:00').toISOString()).toBe('2026-01-31T12:00:00.000Z');
  });
});
