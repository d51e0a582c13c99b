import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowValue } from '../../../../src/adapters/persistence/mikro-orm/row-value.js';

/** A time as mysql2 gives a DATETIME(3) column with `dateStrings`: UTC, milliseconds, a space. */
const mysqlText = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

// MySQL's DATETIME range.
const DATETIME_RANGE = { min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };

describe('rowValue.date', () => {
  it('when MySQL gives a DATETIME(3) text, it reads as a plain Date of that instant', () => {
    fc.assert(
      fc.property(fc.integer(DATETIME_RANGE), (ms) => {
        expect(rowValue.date(mysqlText(ms))).toStrictEqual(new Date(ms));
      }),
      { numRuns: 2000 },
    );
  });

  it('when a time comes as epoch milliseconds (SQLite), as digits, or without milliseconds, it reads as that instant', () => {
    const ms = Date.UTC(2026, 0, 31, 12, 0, 0, 123);
    expect(rowValue.date(ms)).toStrictEqual(new Date(ms));
    expect(rowValue.date(BigInt(ms))).toStrictEqual(new Date(ms));
    expect(rowValue.date(String(ms))).toStrictEqual(new Date(ms));
    expect(rowValue.date('2026-01-31 12:00:00')).toStrictEqual(new Date(Date.UTC(2026, 0, 31, 12)));
  });
});
