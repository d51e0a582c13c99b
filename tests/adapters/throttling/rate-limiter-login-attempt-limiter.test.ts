import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';

import type { LoginAttempt } from '../../../src/application/ports/login-attempt-limiter.port.js';
import { RateLimiterLoginAttemptLimiter } from '../../../src/adapters/throttling/rate-limiter-login-attempt-limiter.js';
import { RateLimitedError, UnavailableError } from '../../../src/domain/domain-error.js';

const ALICE: LoginAttempt = { account: 'alice', address: '203.0.113.7' };

async function failTimes(limiter: RateLimiterLoginAttemptLimiter, attempt: LoginAttempt, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await limiter.recordFailure(attempt);
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A store that is down: every call fails the way a Redis or MySQL client does. */
class UnreachableStore extends RateLimiterMemory {
  constructor() {
    super({ points: 5, duration: 60 });
  }
  override get(): never {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
  override consume(): Promise<never> {
    return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  }
  override delete(): Promise<never> {
    return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  }
}

describe('RateLimiterLoginAttemptLimiter', () => {
  it('allows a first attempt', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory();

    await expect(limiter.assertAllowed(ALICE)).resolves.toBeUndefined();
  });

  it('still allows an account below its limit', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 3 });

    await failTimes(limiter, ALICE, 2);

    await expect(limiter.assertAllowed(ALICE)).resolves.toBeUndefined();
  });

  it('when an account reaches its failures, then it is rate limited with a wait of at least a second', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 3, blockSeconds: 120 });

    await failTimes(limiter, ALICE, 3);

    const error = await rejectionOf(limiter.assertAllowed(ALICE));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it('when an account is blocked, then the wait is the block time, not what was left of the window', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2, windowSeconds: 10, blockSeconds: 600 });

    await failTimes(limiter, ALICE, 2);

    const error = await rejectionOf(limiter.assertAllowed(ALICE));
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(10);
  });

  it('counts the account without regard to case', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2 });

    await limiter.recordFailure({ account: 'Alice', address: null });
    await limiter.recordFailure({ account: 'ALICE', address: null });

    await expect(limiter.assertAllowed({ account: 'alice', address: null })).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('keeps different accounts independent', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2 });

    await failTimes(limiter, { account: 'alice', address: null }, 2);

    await expect(limiter.assertAllowed({ account: 'bob', address: null })).resolves.toBeUndefined();
  });

  it('when a login succeeds, then the account counter starts again', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 3, addressAttempts: 100 });

    await failTimes(limiter, ALICE, 2);
    await limiter.recordSuccess(ALICE);
    await failTimes(limiter, ALICE, 2);

    await expect(limiter.assertAllowed(ALICE)).resolves.toBeUndefined();
  });

  it('when a login succeeds, then the address counter keeps its failures', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 100, addressAttempts: 3 });

    await failTimes(limiter, ALICE, 2);
    await limiter.recordSuccess(ALICE);
    await limiter.recordFailure({ account: 'carol', address: ALICE.address });

    await expect(limiter.assertAllowed({ account: 'dave', address: ALICE.address })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });

  it('when one address fails across many accounts, then the address limit trips for every account', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 5, addressAttempts: 4 });
    const address = '198.51.100.9';

    for (const account of ['u1', 'u2', 'u3', 'u4']) {
      await limiter.recordFailure({ account, address });
    }

    await expect(limiter.assertAllowed({ account: 'u5', address })).rejects.toBeInstanceOf(RateLimitedError);
    // The same fresh account from elsewhere is fine: it was the address that was limited.
    await expect(limiter.assertAllowed({ account: 'u5', address: '192.0.2.1' })).resolves.toBeUndefined();
  });

  it('when the address is unknown, then only the account is counted', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2, addressAttempts: 2 });

    await failTimes(limiter, { account: 'alice', address: null }, 1);
    await failTimes(limiter, { account: 'bob', address: null }, 1);

    await expect(limiter.assertAllowed({ account: 'carol', address: null })).resolves.toBeUndefined();
  });

  it('when the window passes without a block, then the account may try again', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 1, windowSeconds: 1, blockSeconds: 0 });

    await limiter.recordFailure(ALICE);
    await expect(limiter.assertAllowed(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

    await new Promise((resolve) => setTimeout(resolve, 1100));

    await expect(limiter.assertAllowed(ALICE)).resolves.toBeUndefined();
  });

  it('counts a failure that races past the limit without failing the caller', async () => {
    const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2 });

    await expect(failTimes(limiter, ALICE, 5)).resolves.toBeUndefined();
    await expect(limiter.assertAllowed(ALICE)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('uses the stores it is given, so the composition root can choose Redis or MySQL', async () => {
    const perAccount: RateLimiterAbstract = new RateLimiterMemory({ points: 1, duration: 60 });
    const perAddress: RateLimiterAbstract = new RateLimiterMemory({ points: 10, duration: 60 });
    const limiter = new RateLimiterLoginAttemptLimiter(perAccount, perAddress);

    await limiter.recordFailure(ALICE);

    expect((await perAccount.get('alice'))?.consumedPoints).toBe(1);
    expect((await perAddress.get(ALICE.address ?? ''))?.consumedPoints).toBe(1);
  });

  describe('when the store is unreachable', () => {
    const limiter = new RateLimiterLoginAttemptLimiter(new UnreachableStore(), new UnreachableStore());

    it.each([
      ['checking an attempt', () => limiter.assertAllowed(ALICE)],
      ['recording a failure', () => limiter.recordFailure(ALICE)],
      ['recording a success', () => limiter.recordSuccess(ALICE)],
    ])('%s fails as unavailable, keeping the store error as the cause', async (_name, run) => {
      const error = await rejectionOf(run());

      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as UnavailableError).cause).toBeInstanceOf(Error);
      expect((error as UnavailableError).message).not.toContain('ECONNREFUSED');
    });
  });
});
