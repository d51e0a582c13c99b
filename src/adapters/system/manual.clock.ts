import type { Clock } from '../../application/ports/clock.port.js';

const DEFAULT_START = '2026-01-01T00:00:00.000Z';

/** A clock that moves only when told, so tests can cross expiry and ordering boundaries exactly. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date | string = DEFAULT_START) {
    this.currentMs = ManualClock.toMs(start);
  }

  /** A fresh Date each call: a caller that mutates it cannot move this clock. */
  now(): Date {
    return new Date(this.currentMs);
  }

  set(date: Date | string): void {
    this.currentMs = ManualClock.toMs(date);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) {
      throw new Error('ManualClock.advance needs a finite number of milliseconds');
    }
    this.currentMs += ms;
  }

  private static toMs(date: Date | string): number {
    const ms = new Date(date).getTime();
    if (Number.isNaN(ms)) {
      throw new Error(`ManualClock was given an invalid date: ${String(date)}`);
    }
    return ms;
  }
}
