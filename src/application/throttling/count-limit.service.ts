import { UnavailableError, type RateLimitedError } from '../../domain/domain-error.js';
import type { WindowCounter } from '../ports/window-counters.port.js';
import type { CountLimitSettings } from './throttle-limits.js';

export interface CountLimitOptions {
  /** The refusal, given the seconds to wait. */
  readonly refusal: (retryAfterSeconds: number) => RateLimitedError;
  /**
   * What to do while the counters cannot be reached: `refuse` (the caller gets the store's
   * `UnavailableError`) where the limit stands between an attacker and a secret, `allow` where it
   * only keeps volume sane and refusing would take the feature down with the store.
   */
  readonly whenStoreFails: 'refuse' | 'allow';
}

/**
 * At most `points` per key in each window. Every call is counted before the work it guards, in
 * one atomic step, so calls made at the same time cannot all get past the limit; a refused call
 * stays counted (the key is over its limit until its window ends anyway), and a flood of them does
 * not make the window longer.
 */
export class CountLimit {
  constructor(
    private readonly counter: WindowCounter,
    private readonly settings: CountLimitSettings,
    private readonly options: CountLimitOptions,
  ) {}

  async take(key: string): Promise<void> {
    let count;
    try {
      count = await this.counter.add(key);
    } catch (error) {
      if (this.options.whenStoreFails === 'allow' && error instanceof UnavailableError) return;
      throw error;
    }
    if (count.count > this.settings.points) throw this.options.refusal(count.msLeft / 1000);
  }
}
