import { describe, expect, it } from 'vitest';

import { ManualClock } from '../../../src/adapters/system/manual.clock.js';

describe('ManualClock', () => {
  it('starts at 2026-01-01T00:00:00.000Z by default', () => {
    expect(new ManualClock().now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('starts at the date it is given', () => {
    expect(new ManualClock(new Date('2026-05-05T05:05:05.005Z')).now().toISOString()).toBe('2026-05-05T05:05:05.005Z');
    expect(new ManualClock('2027-01-01T00:00:00.000Z').now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('stands still until told to move', async () => {
    const clock = new ManualClock();
    const before = clock.now();

    await new Promise((resolve) => setTimeout(resolve, 5));

    expect(clock.now()).toEqual(before);
  });

  it('moves forward by the milliseconds it is advanced', () => {
    const clock = new ManualClock();

    clock.advance(1500);

    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });

  it('jumps to the date it is set to', () => {
    const clock = new ManualClock();

    clock.set(new Date('2030-06-15T10:00:00.000Z'));

    expect(clock.now().toISOString()).toBe('2030-06-15T10:00:00.000Z');
  });

  it('returns a new Date each call, so mutating one cannot move the clock', () => {
    const clock = new ManualClock();
    const first = clock.now();

    first.setFullYear(1999);

    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.now()).not.toBe(clock.now());
  });

  it('is not moved by mutating the Date it was set to', () => {
    const date = new Date('2030-06-15T10:00:00.000Z');
    const clock = new ManualClock(date);

    date.setFullYear(1999);

    expect(clock.now().toISOString()).toBe('2030-06-15T10:00:00.000Z');
  });

  it('refuses an invalid date or step', () => {
    expect(() => new ManualClock('not a date')).toThrow(/invalid date/);
    expect(() => new ManualClock().advance(Number.NaN)).toThrow(/finite/);
  });
});
