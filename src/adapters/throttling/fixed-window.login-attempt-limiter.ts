import type { Clock } from '../../application/ports/clock.port.js';
import type { LoginAttempt, LoginAttemptLimiter } from '../../application/ports/login-attempt-limiter.port.js';
import { RateLimitedError } from '../../domain/domain-error.js';

export interface FixedWindowLoginLimits {
  /** Password attempts allowed per account within the window (a success clears them). */
  readonly accountAttempts?: number;
  /** Failed password attempts allowed per client address within the window, across all accounts. */
  readonly addressAttempts?: number;
  readonly windowSeconds?: number;
  /** How long a key stays locked once an attempt goes over its limit. */
  readonly blockSeconds?: number;
}

/**
 * Counts password attempts per account and per client address, in this process's memory, on the
 * `Clock` port: every window and lock runs on the clock the composition root gives it, so a manual
 * clock moved past a lock unlocks the account. Each count is a synchronous step, so attempts that
 * run at the same time are counted one by one. The counters are not shared between instances.
 */
export class FixedWindowLoginAttemptLimiter implements LoginAttemptLimiter {
  private readonly perAccount: FixedWindowCounter;
  private readonly perAddress: FixedWindowCounter;

  constructor(
    clock: Clock,
    { accountAttempts = 5, addressAttempts = 20, windowSeconds = 900, blockSeconds = 900 }: FixedWindowLoginLimits = {},
  ) {
    this.perAccount = new FixedWindowCounter(clock, accountAttempts, windowSeconds * 1000, blockSeconds * 1000);
    this.perAddress = new FixedWindowCounter(clock, addressAttempts, windowSeconds * 1000, blockSeconds * 1000);
  }

  async acquire(attempt: LoginAttempt): Promise<void> {
    const account = accountKey(attempt);
    // The account first: an attempt at a locked account is refused without touching the address.
    const accountWait = this.perAccount.charge(account);
    if (accountWait !== null) throw new RateLimitedError(accountWait / 1000);
    if (attempt.address === null) return;

    const addressWait = this.perAddress.charge(attempt.address);
    if (addressWait !== null) {
      // Refused by the address: no password is compared, so the account keeps no point for it.
      this.perAccount.refund(account);
      throw new RateLimitedError(addressWait / 1000);
    }
  }

  async release(attempt: LoginAttempt): Promise<void> {
    this.perAccount.clear(accountKey(attempt));
    // Only this attempt's point: the address's failures still count against a spray.
    if (attempt.address !== null) this.perAddress.refund(attempt.address);
  }
}

interface Window {
  count: number;
  /** Epoch milliseconds: the window's end, or the lock's once the key went over its limit. */
  endsAt: number;
}

/**
 * Attempts per key in fixed windows that start with a key's first attempt. The first attempt over
 * the limit locks the key for the block time (or, with none, until its window ends); a key is
 * forgotten once its window or lock is over.
 */
class FixedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private sweepAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly blockMs: number,
  ) {}

  /** Counts one attempt: null when the key is within its limit, else how many ms it must wait. */
  charge(key: string): number | null {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const window = this.live(key, now) ?? { count: 0, endsAt: now + this.windowMs };
    window.count += 1;
    if (window.count === this.limit + 1 && this.blockMs > 0) window.endsAt = now + this.blockMs;
    this.windows.set(key, window);
    return window.count > this.limit ? window.endsAt - now : null;
  }

  /** Takes back one attempt of the current window; nothing when the window is over. */
  refund(key: string): void {
    const window = this.live(key, this.clock.now().getTime());
    if (window && window.count > 0) window.count -= 1;
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now >= window.endsAt) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** At most once a window, forgets every key whose window is over, so names tried once do not pile up. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    for (const [key, window] of this.windows) if (now >= window.endsAt) this.windows.delete(key);
    this.sweepAt = now + this.windowMs;
  }
}

function accountKey(attempt: LoginAttempt): string {
  // Logins match usernames and emails without regard to case, so the counter must as well.
  return attempt.account.toLowerCase();
}
