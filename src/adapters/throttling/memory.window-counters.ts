import type { Clock } from '../../application/ports/clock.port.js';
import type { WindowCount, WindowCounter } from '../../application/ports/window-counters.port.js';
import type { CounterStore } from './counter-store.js';

interface Held {
  count: number;
  /** Epoch milliseconds, on the Clock: when the key is forgotten. */
  endsAt: number;
}

const NOTHING: WindowCount = { count: 0, msLeft: 0 };

/**
 * The counts in this process's memory, on the `Clock` port: windows and holds run on the clock the
 * composition root gives it, so the harness's manual clock moved past a lock ends the lock (which
 * rate-limiter-flexible's memory store, reading `Date.now()`, could not do). Each operation is one
 * synchronous step, hence atomic per key. Nothing is shared between instances: with several, use
 * the Redis counters.
 */
export class MemoryWindowCounters implements CounterStore {
  private readonly counters = new Map<string, MemoryWindowCounter>();

  constructor(private readonly clock: Clock) {}

  /** Nothing to connect to. */
  async start(): Promise<void> {}

  async close(): Promise<void> {}

  counter(name: string, { windowMs }: { readonly windowMs: number }): WindowCounter {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = new MemoryWindowCounter(this.clock, windowMs);
      this.counters.set(name, counter);
    } else if (counter.windowMs !== windowMs) {
      // Two limits under one name would share keys while disagreeing on how long they last.
      throw new Error(`the counter ${name} already has a window of ${counter.windowMs} ms`);
    }
    return counter;
  }
}

class MemoryWindowCounter implements WindowCounter {
  private readonly keys = new Map<string, Held>();
  private sweepAt = 0;

  constructor(
    private readonly clock: Clock,
    readonly windowMs: number,
  ) {}

  async add(key: string, points = 1): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const held = this.live(key, now) ?? { count: 0, endsAt: now + this.windowMs };
    held.count += points;
    this.keys.set(key, held);
    return { count: held.count, msLeft: held.endsAt - now };
  }

  async subtract(key: string, points = 1): Promise<void> {
    const held = this.live(key, this.clock.now().getTime());
    if (held) held.count = Math.max(0, held.count - points);
  }

  async get(key: string): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    const held = this.live(key, now);
    return held ? { count: held.count, msLeft: held.endsAt - now } : NOTHING;
  }

  async hold(key: string, count: number, ms: number): Promise<void> {
    this.keys.set(key, { count, endsAt: this.clock.now().getTime() + ms });
  }

  async delete(key: string): Promise<void> {
    this.keys.delete(key);
  }

  private live(key: string, now: number): Held | undefined {
    const held = this.keys.get(key);
    if (held && now >= held.endsAt) {
      this.keys.delete(key);
      return undefined;
    }
    return held;
  }

  /** At most once a window, forgets every key that is over, so names tried once do not pile up. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    for (const [key, held] of this.keys) if (now >= held.endsAt) this.keys.delete(key);
    this.sweepAt = now + this.windowMs;
  }
}
