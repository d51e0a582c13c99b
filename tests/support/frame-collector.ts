/**
 * Collects what a real-time listener receives (stream frames, WebSocket frames, Server-Sent
 * Events) and lets a test wait for what it expects, with a bound so a missing frame fails the
 * test instead of hanging it.
 */
export class Collector<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  readonly push = (item: T): void => {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  };

  /** Resolves with every item so far once `done(items)` holds; rejects after `timeoutMs`. */
  async until(done: (items: readonly T[]) => boolean, timeoutMs = 5_000, what = 'the expected frames'): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.items)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.items).slice(0, 2_000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return [...this.items];
  }

  /** Resolves once `count` items have arrived. */
  atLeast(count: number, timeoutMs?: number): Promise<T[]> {
    return this.until((items) => items.length >= count, timeoutMs, `${count} items`);
  }

  /** Waits `ms` and returns what arrived meanwhile: for asserting that nothing more comes. */
  async settle(ms = 150): Promise<T[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return [...this.items];
  }

  clear(): void {
    this.items.length = 0;
  }
}
