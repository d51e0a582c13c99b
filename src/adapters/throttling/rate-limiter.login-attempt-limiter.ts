import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

import type { LoginAttempt, LoginAttemptLimiter } from '../../application/ports/login-attempt-limiter.port.js';
import { RateLimitedError, UnavailableError } from '../../domain/domain-error.js';

export interface InMemoryLoginLimitOptions {
  /** Password attempts allowed per account within the window (a success clears them). */
  accountAttempts?: number;
  /** Failed password attempts allowed per client address within the window, across all accounts. */
  addressAttempts?: number;
  windowSeconds?: number;
  /** How long a key stays locked once an attempt goes over its limit. */
  blockSeconds?: number;
}

/**
 * Counts password attempts per account and per client address with rate-limiter-flexible. The
 * two limiters are passed in so the composition root picks their store (memory for one instance,
 * Redis or MySQL when several instances must share the counters); each store's `consume` is an
 * atomic increment, which is what makes concurrent attempts count one by one.
 */
export class RateLimiterLoginAttemptLimiter implements LoginAttemptLimiter {
  constructor(
    private readonly perAccount: RateLimiterAbstract,
    private readonly perAddress: RateLimiterAbstract,
  ) {}

  static inMemory({
    accountAttempts = 5,
    addressAttempts = 20,
    windowSeconds = 900,
    blockSeconds = 900,
  }: InMemoryLoginLimitOptions = {}): RateLimiterLoginAttemptLimiter {
    return new RateLimiterLoginAttemptLimiter(
      new RateLimiterMemory({
        keyPrefix: 'login_fail_account',
        points: accountAttempts,
        duration: windowSeconds,
        blockDuration: blockSeconds,
      }),
      new RateLimiterMemory({
        keyPrefix: 'login_fail_address',
        points: addressAttempts,
        duration: windowSeconds,
        blockDuration: blockSeconds,
      }),
    );
  }

  async acquire(attempt: LoginAttempt): Promise<void> {
    const account = accountKey(attempt);
    // The account first: an attempt at a locked account is refused without touching the address.
    const accountWait = await charge(this.perAccount, account);
    if (accountWait !== null) throw new RateLimitedError(accountWait / 1000);
    if (attempt.address === null) return;

    let addressWait: number | null;
    try {
      addressWait = await charge(this.perAddress, attempt.address);
    } catch (error) {
      await this.refundAccount(account);
      throw error;
    }
    if (addressWait !== null) {
      // Refused by the address: no password is compared, so the account keeps no point for it.
      await this.refundAccount(account);
      throw new RateLimitedError(addressWait / 1000);
    }
  }

  async release(attempt: LoginAttempt): Promise<void> {
    const releases: Promise<unknown>[] = [this.perAccount.delete(accountKey(attempt))];
    if (attempt.address !== null) {
      // Only this attempt's point: the address's failures still count against a spray.
      releases.push(this.perAddress.reward(attempt.address, 1));
    }
    try {
      await Promise.all(releases);
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Best effort: when the store fails here it is already failing the attempt as unavailable. */
  private async refundAccount(key: string): Promise<void> {
    try {
      await this.perAccount.reward(key, 1);
    } catch {
      // Nothing more to do: the point expires with its window.
    }
  }
}

/**
 * Takes one point from the key: null when it was within its limit, else how long (ms) the key
 * must wait. The library rejects with a `RateLimiterRes` when the key is over its points (and
 * blocks it, on the first attempt over, for `blockDuration`), and with an `Error` when its store
 * fails.
 */
async function charge(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key, 1);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      // A key with no expiry reports -1: wait a whole window rather than not at all.
      return rejection.msBeforeNext > 0 ? rejection.msBeforeNext : limiter.duration * 1000;
    }
    throw unavailable(rejection);
  }
}

function accountKey(attempt: LoginAttempt): string {
  // Logins match usernames and emails without regard to case, so the counter must as well.
  return attempt.account.toLowerCase();
}

function unavailable(cause: unknown): UnavailableError {
  return new UnavailableError('Login rate limiting is temporarily unavailable', { cause });
}
