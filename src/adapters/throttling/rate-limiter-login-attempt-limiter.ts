import { RateLimiterMemory, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';

import type { LoginAttempt, LoginAttemptLimiter } from '../../application/ports/login-attempt-limiter.port.js';
import { RateLimitedError, UnavailableError } from '../../domain/domain-error.js';

export interface InMemoryLoginLimitOptions {
  /** Failed logins allowed per account within the window. */
  accountAttempts?: number;
  /** Failed logins allowed per client address within the window, across all accounts. */
  addressAttempts?: number;
  windowSeconds?: number;
  /** How long a key stays locked once it reaches its limit. */
  blockSeconds?: number;
}

/**
 * Counts failed logins per account and per client address with rate-limiter-flexible. The two
 * limiters are passed in so the composition root picks their store (memory for one instance,
 * Redis or MySQL when several instances must share the counters).
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

  async assertAllowed(attempt: LoginAttempt): Promise<void> {
    const checks = [this.waitMs(this.perAccount, accountKey(attempt))];
    if (attempt.address !== null) {
      checks.push(this.waitMs(this.perAddress, attempt.address));
    }
    const waits = (await Promise.all(checks)).filter((ms): ms is number => ms !== null);
    if (waits.length > 0) {
      // The longer wait is the one that matters: trying earlier would only hit the other limit.
      throw new RateLimitedError(Math.max(...waits) / 1000);
    }
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const failures = [this.fail(this.perAccount, accountKey(attempt))];
    if (attempt.address !== null) {
      failures.push(this.fail(this.perAddress, attempt.address));
    }
    await Promise.all(failures);
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    // The address keeps its count: one good password must not reset a spray across many accounts.
    try {
      await this.perAccount.delete(accountKey(attempt));
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** How long the key must wait, or null when it may still try. */
  private async waitMs(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
    let res: RateLimiterRes | null;
    try {
      res = await limiter.get(key);
    } catch (error) {
      throw unavailable(error);
    }
    if (res === null || res.consumedPoints < limiter.points) {
      return null;
    }
    return res.msBeforeNext;
  }

  private async fail(limiter: RateLimiterAbstract, key: string): Promise<void> {
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(key);
    } catch (rejection) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the key is already over its
      // points (a race between two attempts): that failure is counted, nothing went wrong.
      if (rejection instanceof Error) {
        throw unavailable(rejection);
      }
      return;
    }
    // The library blocks only on the attempt *after* the limit, which assertAllowed never lets
    // through; so the failure that reaches the limit starts the block itself.
    if (res.consumedPoints === limiter.points && limiter.blockDuration > 0) {
      try {
        await limiter.block(key, limiter.blockDuration);
      } catch (error) {
        throw unavailable(error);
      }
    }
  }
}

function accountKey(attempt: LoginAttempt): string {
  // Logins match usernames and emails without regard to case, so the counter must as well.
  return attempt.account.toLowerCase();
}

function unavailable(cause: unknown): UnavailableError {
  return new UnavailableError('Login rate limiting is temporarily unavailable', { cause });
}
