import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';

import type { LoginAttempt } from '../../../src/application/ports/login-attempt-limiter.port.js';
import { RateLimiterLoginAttemptLimiter } from '../../../src/adapters/throttling/rate-limiter.login-attempt-limiter.js';
import { RateLimitedError, UnavailableError } from '../../../src/domain/domain-error.js';

const ALICE: LoginAttempt = { account: 'alice', address: '203.0.113.7' };

/** Acquires `times` attempts one after another, none released: that many failed guesses. */
async function failTimes(limiter: RateLimiterLoginAttemptLimiter, attempt: LoginAttempt, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await limiter.acquire(attempt);
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

/** Two stores of its own, so a test can read the counts the limiter leaves. */
function withStores({ account = 5, address = 20 } = {}) {
  const perAccount: RateLimiterAbstract = new RateLimiterMemory({ points: account, duration: 60, blockDuration: 60 });
  const perAddress: RateLimiterAbstract = new RateLimiterMemory({ points: address, duration: 60, blockDuration: 60 });
  const limiter = new RateLimiterLoginAttemptLimiter(perAccount, perAddress);
  const consumed = async (store: RateLimiterAbstract, key: string) => (await store.get(key))?.consumedPoints ?? 0;
  return {
    limiter,
    accountCount: (key: string) => consumed(perAccount, key),
    addressCount: (key: string) => consumed(perAddress, key),
  };
}

const STORE_DOWN = 'connect ECONNREFUSED 127.0.0.1:6379';

/** A store that is down: every call fails the way a Redis or MySQL client does. */
class UnreachableStore extends RateLimiterMemory {
  constructor() {
    super({ points: 5, duration: 60 });
  }
  override get(): Promise<never> {
    return Promise.reject(new Error(STORE_DOWN));
  }
  override consume(): Promise<never> {
    return Promise.reject(new Error(STORE_DOWN));
  }
  override reward(): Promise<never> {
    return Promise.reject(new Error(STORE_DOWN));
  }
  override delete(): Promise<never> {
    return Promise.reject(new Error(STORE_DOWN));
  }
}

function expectUnavailable(error: unknown): void {
  expect(error).toBeInstanceOf(UnavailableError);
  expect((error as UnavailableError).cause).toBeInstanceOf(Error);
  expect((error as UnavailableError).message).not.toContain('ECONNREFUSED');
}

describe('RateLimiterLoginAttemptLimiter', () => {
  describe('acquire', () => {
    it('allows a first attempt', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory();

      await expect(limiter.acquire(ALICE)).resolves.toBeUndefined();
    });

    it('allows exactly as many attempts as the account limit', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 3 });

      await expect(failTimes(limiter, ALICE, 3)).resolves.toBeUndefined();
    });

    it('when the account has used its attempts, then the next is rate limited with a wait of at least a second', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 3, blockSeconds: 120 });
      await failTimes(limiter, ALICE, 3);

      const error = await rejectionOf(limiter.acquire(ALICE));

      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(120);
    });

    it('when an account is blocked, then the wait is the block time, not what was left of the window', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2, windowSeconds: 10, blockSeconds: 600 });
      await failTimes(limiter, ALICE, 2);

      const error = await rejectionOf(limiter.acquire(ALICE));

      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(10);
    });

    it('when attempts run at the same time, then no more than the limit get through', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 5, addressAttempts: 100 });

      const results = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.acquire(ALICE)));

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
      const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(refusals).toHaveLength(15);
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(RateLimitedError);
    });

    it('counts the account without regard to case', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2 });

      await limiter.acquire({ account: 'Alice', address: null });
      await limiter.acquire({ account: 'ALICE', address: null });

      await expect(limiter.acquire({ account: 'alice', address: null })).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('keeps different accounts independent', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2 });
      await failTimes(limiter, { account: 'alice', address: null }, 2);

      await expect(limiter.acquire({ account: 'bob', address: null })).resolves.toBeUndefined();
    });

    it('when one address tries many accounts, then the address limit trips for every account', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 5, addressAttempts: 4 });
      const address = '198.51.100.9';
      for (const account of ['u1', 'u2', 'u3', 'u4']) {
        await limiter.acquire({ account, address });
      }

      await expect(limiter.acquire({ account: 'u5', address })).rejects.toBeInstanceOf(RateLimitedError);
      // The same fresh account from elsewhere is fine: it was the address that was limited.
      await expect(limiter.acquire({ account: 'u5', address: '192.0.2.1' })).resolves.toBeUndefined();
    });

    it('when the address refuses, then the account keeps no point for the attempt', async () => {
      const { limiter, accountCount, addressCount } = withStores({ account: 5, address: 1 });
      await limiter.acquire({ account: 'bob', address: ALICE.address });

      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      expect(await accountCount('alice')).toBe(0);
      expect(await addressCount(ALICE.address ?? '')).toBe(2);
    });

    it('when the account refuses, then the address is not charged', async () => {
      const { limiter, accountCount, addressCount } = withStores({ account: 1, address: 20 });
      await limiter.acquire({ account: 'alice', address: '192.0.2.1' });

      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      expect(await accountCount('alice')).toBe(2);
      expect(await addressCount(ALICE.address ?? '')).toBe(0);
    });

    it('when the address is unknown, then only the account is counted', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 2, addressAttempts: 2 });
      await failTimes(limiter, { account: 'alice', address: null }, 1);
      await failTimes(limiter, { account: 'bob', address: null }, 1);

      await expect(limiter.acquire({ account: 'carol', address: null })).resolves.toBeUndefined();
    });

    it('when the window passes without a block, then the account may try again', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 1, windowSeconds: 1, blockSeconds: 0 });
      await limiter.acquire(ALICE);
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      await new Promise((resolve) => setTimeout(resolve, 1100));

      await expect(limiter.acquire(ALICE)).resolves.toBeUndefined();
    });

    it('charges the stores it is given, so the composition root can choose one that instances share', async () => {
      const { limiter, accountCount, addressCount } = withStores();

      await limiter.acquire(ALICE);

      expect(await accountCount('alice')).toBe(1);
      expect(await addressCount(ALICE.address ?? '')).toBe(1);
    });
  });

  describe('release', () => {
    it('clears every failure of the account', async () => {
      const { limiter, accountCount } = withStores({ account: 3 });
      await failTimes(limiter, ALICE, 2);
      await limiter.acquire(ALICE);

      await limiter.release(ALICE);

      expect(await accountCount('alice')).toBe(0);
      // Three more attempts, not none: the earlier failures no longer count.
      await expect(failTimes(limiter, ALICE, 3)).resolves.toBeUndefined();
    });

    it('clears the account however its name is cased', async () => {
      const { limiter, accountCount } = withStores();
      await limiter.acquire({ account: 'Alice', address: null });

      await limiter.release({ account: 'ALICE', address: null });

      expect(await accountCount('alice')).toBe(0);
    });

    it('gives the address back the point of the attempt and keeps its failures', async () => {
      const { limiter, addressCount } = withStores({ address: 20 });
      await limiter.acquire({ account: 'carol', address: ALICE.address });
      await limiter.acquire({ account: 'dave', address: ALICE.address });
      await limiter.acquire(ALICE);

      await limiter.release(ALICE);

      expect(await addressCount(ALICE.address ?? '')).toBe(2);
    });

    it('when logins from one address keep succeeding, then they never use up its allowance', async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 100, addressAttempts: 3 });

      for (let login = 0; login < 10; login += 1) {
        const attempt = { account: `user_${login}`, address: ALICE.address };
        await limiter.acquire(attempt);
        await limiter.release(attempt);
      }

      await expect(failTimes(limiter, { account: 'carol', address: ALICE.address }, 3)).resolves.toBeUndefined();
    });

    it("when an address's failures reach its limit, then a success in between does not reset them", async () => {
      const limiter = RateLimiterLoginAttemptLimiter.inMemory({ accountAttempts: 100, addressAttempts: 3 });
      await failTimes(limiter, { account: 'carol', address: ALICE.address }, 2);
      await limiter.acquire(ALICE);
      await limiter.release(ALICE);
      await limiter.acquire({ account: 'dave', address: ALICE.address });

      await expect(limiter.acquire({ account: 'erin', address: ALICE.address })).rejects.toBeInstanceOf(
        RateLimitedError,
      );
    });

    it('when the address is unknown, then only the account is cleared', async () => {
      const { limiter, accountCount, addressCount } = withStores();
      await limiter.acquire(ALICE);

      await limiter.release({ account: 'alice', address: null });

      expect(await accountCount('alice')).toBe(0);
      expect(await addressCount(ALICE.address ?? '')).toBe(1);
    });
  });

  describe('when the store is unreachable', () => {
    const limiter = new RateLimiterLoginAttemptLimiter(new UnreachableStore(), new UnreachableStore());

    it.each([
      ['acquiring an attempt', () => limiter.acquire(ALICE)],
      ['acquiring an attempt with no address', () => limiter.acquire({ account: 'alice', address: null })],
      ['releasing an attempt', () => limiter.release(ALICE)],
    ])('%s fails as unavailable, keeping the store error as the cause', async (_name, run) => {
      expectUnavailable(await rejectionOf(run()));
    });

    it('when only the address store fails, then acquiring fails as unavailable and the account is refunded', async () => {
      const perAccount = new RateLimiterMemory({ points: 5, duration: 60 });
      const halfDown = new RateLimiterLoginAttemptLimiter(perAccount, new UnreachableStore());

      expectUnavailable(await rejectionOf(halfDown.acquire(ALICE)));

      expect((await perAccount.get('alice'))?.consumedPoints ?? 0).toBe(0);
    });
  });
});
