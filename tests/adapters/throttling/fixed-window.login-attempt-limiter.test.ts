import { describe, expect, it } from 'vitest';

import type { LoginAttempt } from '../../../src/application/ports/login-attempt-limiter.port.js';
import { ManualClock } from '../../../src/adapters/system/manual.clock.js';
import {
  FixedWindowLoginAttemptLimiter,
  type FixedWindowLoginLimits,
} from '../../../src/adapters/throttling/fixed-window.login-attempt-limiter.js';
import { RateLimitedError } from '../../../src/domain/domain-error.js';

const SECOND = 1_000;
const ALICE: LoginAttempt = { account: 'alice', address: '203.0.113.7' };

/** A limiter on a clock of its own, which only the test moves. */
function limiterOf(limits: FixedWindowLoginLimits = {}) {
  const clock = new ManualClock();
  return { clock, limiter: new FixedWindowLoginAttemptLimiter(clock, limits) };
}

/** Acquires `times` attempts one after another, none released: that many failed guesses. */
async function failTimes(limiter: FixedWindowLoginAttemptLimiter, attempt: LoginAttempt, times: number): Promise<void> {
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

const waitOf = async (promise: Promise<unknown>): Promise<number> => {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(RateLimitedError);
  return (error as RateLimitedError).retryAfterSeconds;
};

describe('FixedWindowLoginAttemptLimiter', () => {
  describe('acquire', () => {
    it('allows a first attempt', async () => {
      const { limiter } = limiterOf();

      await expect(limiter.acquire(ALICE)).resolves.toBeUndefined();
    });

    it('allows exactly as many attempts as the account limit', async () => {
      const { limiter } = limiterOf({ accountAttempts: 3 });

      await expect(failTimes(limiter, ALICE, 3)).resolves.toBeUndefined();
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('when the account has used its attempts, then the next is rate limited for the block time', async () => {
      const { limiter } = limiterOf({ accountAttempts: 3, blockSeconds: 120 });
      await failTimes(limiter, ALICE, 3);

      expect(await waitOf(limiter.acquire(ALICE))).toBe(120);
    });

    it('when an account is blocked, then the wait is the block time, not what was left of the window', async () => {
      const { limiter } = limiterOf({ accountAttempts: 2, windowSeconds: 10, blockSeconds: 600 });
      await failTimes(limiter, ALICE, 2);

      expect(await waitOf(limiter.acquire(ALICE))).toBe(600);
    });

    it('when a blocked account tries again later, then the wait is what is left of the block', async () => {
      const { clock, limiter } = limiterOf({ accountAttempts: 1, blockSeconds: 600 });
      await failTimes(limiter, ALICE, 1);
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      clock.advance(200 * SECOND);

      expect(await waitOf(limiter.acquire(ALICE))).toBe(400);
    });

    it('when the clock passes the block, then the account may try again, with its whole allowance', async () => {
      const { clock, limiter } = limiterOf({ accountAttempts: 2, windowSeconds: 60, blockSeconds: 600 });
      await failTimes(limiter, ALICE, 2);
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      clock.advance(600 * SECOND - 1);
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);
      clock.advance(1);

      await expect(failTimes(limiter, ALICE, 2)).resolves.toBeUndefined();
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('when the window passes without a block, then the account may try again', async () => {
      const { clock, limiter } = limiterOf({ accountAttempts: 1, windowSeconds: 60, blockSeconds: 0 });
      await limiter.acquire(ALICE);
      expect(await waitOf(limiter.acquire(ALICE))).toBe(60);

      clock.advance(60 * SECOND);

      await expect(limiter.acquire(ALICE)).resolves.toBeUndefined();
    });

    it('when the window passes with attempts left, then they count from zero again', async () => {
      const { clock, limiter } = limiterOf({ accountAttempts: 3, windowSeconds: 60 });
      await failTimes(limiter, ALICE, 2);

      clock.advance(60 * SECOND);

      await expect(failTimes(limiter, ALICE, 3)).resolves.toBeUndefined();
    });

    it('when the real time passes but the clock does not, then the account stays locked', async () => {
      const { limiter } = limiterOf({ accountAttempts: 1, windowSeconds: 1, blockSeconds: 1 });
      await limiter.acquire(ALICE);
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      await new Promise((resolve) => setTimeout(resolve, 1_100));

      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('when attempts run at the same time, then no more than the limit get through', async () => {
      const { limiter } = limiterOf({ accountAttempts: 5, addressAttempts: 100 });

      const results = await Promise.allSettled(Array.from({ length: 20 }, () => limiter.acquire(ALICE)));

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
      const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(refusals).toHaveLength(15);
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(RateLimitedError);
    });

    it('counts the account without regard to case', async () => {
      const { limiter } = limiterOf({ accountAttempts: 2 });

      await limiter.acquire({ account: 'Alice', address: null });
      await limiter.acquire({ account: 'ALICE', address: null });

      await expect(limiter.acquire({ account: 'alice', address: null })).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('keeps different accounts independent', async () => {
      const { limiter } = limiterOf({ accountAttempts: 2 });
      await failTimes(limiter, { account: 'alice', address: null }, 2);

      await expect(limiter.acquire({ account: 'bob', address: null })).resolves.toBeUndefined();
    });

    it('when one address tries many accounts, then the address limit trips for every account', async () => {
      const { limiter } = limiterOf({ accountAttempts: 5, addressAttempts: 4 });
      const address = '198.51.100.9';
      for (const account of ['u1', 'u2', 'u3', 'u4']) {
        await limiter.acquire({ account, address });
      }

      await expect(limiter.acquire({ account: 'u5', address })).rejects.toBeInstanceOf(RateLimitedError);
      // The same fresh account from elsewhere is fine: it was the address that was limited.
      await expect(limiter.acquire({ account: 'u5', address: '192.0.2.1' })).resolves.toBeUndefined();
    });

    it('when the address refuses, then the account keeps no point for the attempt', async () => {
      const { limiter } = limiterOf({ accountAttempts: 2, addressAttempts: 1 });
      await limiter.acquire({ account: 'bob', address: ALICE.address });

      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);
      await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      // Both refusals came from the address: from elsewhere the account has its two attempts.
      await expect(limiter.acquire({ account: 'alice', address: '192.0.2.1' })).resolves.toBeUndefined();
      await expect(limiter.acquire({ account: 'alice', address: '192.0.2.2' })).resolves.toBeUndefined();
      await expect(limiter.acquire({ account: 'alice', address: '192.0.2.3' })).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('when the account refuses, then the address is not charged', async () => {
      const { limiter } = limiterOf({ accountAttempts: 1, addressAttempts: 2 });
      await limiter.acquire({ account: 'alice', address: '192.0.2.1' });

      for (let i = 0; i < 3; i += 1) await expect(limiter.acquire(ALICE)).rejects.toBeInstanceOf(RateLimitedError);

      // The address paid for none of them: it has its two attempts for other accounts.
      await expect(failTimes(limiter, { account: 'bob', address: ALICE.address }, 1)).resolves.toBeUndefined();
      await expect(failTimes(limiter, { account: 'carol', address: ALICE.address }, 1)).resolves.toBeUndefined();
    });

    it('when the address is unknown, then only the account is counted', async () => {
      const { limiter } = limiterOf({ accountAttempts: 2, addressAttempts: 2 });
      await failTimes(limiter, { account: 'alice', address: null }, 1);
      await failTimes(limiter, { account: 'bob', address: null }, 1);

      await expect(limiter.acquire({ account: 'carol', address: null })).resolves.toBeUndefined();
    });
  });

  describe('release', () => {
    it('clears every failure of the account', async () => {
      const { limiter } = limiterOf({ accountAttempts: 3 });
      await failTimes(limiter, ALICE, 2);
      await limiter.acquire(ALICE);

      await limiter.release(ALICE);

      // Three more attempts, not none: the earlier failures no longer count.
      await expect(failTimes(limiter, ALICE, 3)).resolves.toBeUndefined();
    });

    it('clears the account however its name is cased', async () => {
      const { limiter } = limiterOf({ accountAttempts: 1 });
      await limiter.acquire({ account: 'Alice', address: null });

      await limiter.release({ account: 'ALICE', address: null });

      await expect(limiter.acquire({ account: 'alice', address: null })).resolves.toBeUndefined();
    });

    it('gives the address back the point of the attempt and keeps its failures', async () => {
      const { limiter } = limiterOf({ addressAttempts: 3 });
      await limiter.acquire({ account: 'carol', address: ALICE.address });
      await limiter.acquire({ account: 'dave', address: ALICE.address });
      await limiter.acquire(ALICE);

      await limiter.release(ALICE);

      // Two failures kept: one attempt left, then the lock.
      await limiter.acquire({ account: 'erin', address: ALICE.address });
      await expect(limiter.acquire({ account: 'frank', address: ALICE.address })).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('when logins from one address keep succeeding, then they never use up its allowance', async () => {
      const { limiter } = limiterOf({ accountAttempts: 100, addressAttempts: 3 });

      for (let login = 0; login < 10; login += 1) {
        const attempt = { account: `user_${login}`, address: ALICE.address };
        await limiter.acquire(attempt);
        await limiter.release(attempt);
      }

      await expect(failTimes(limiter, { account: 'carol', address: ALICE.address }, 3)).resolves.toBeUndefined();
    });

    it("when an address's failures reach its limit, then a success in between does not reset them", async () => {
      const { limiter } = limiterOf({ accountAttempts: 100, addressAttempts: 3 });
      await failTimes(limiter, { account: 'carol', address: ALICE.address }, 2);
      await limiter.acquire(ALICE);
      await limiter.release(ALICE);
      await limiter.acquire({ account: 'dave', address: ALICE.address });

      await expect(limiter.acquire({ account: 'erin', address: ALICE.address })).rejects.toBeInstanceOf(
        RateLimitedError,
      );
    });

    it('when the window of the attempt has passed, then releasing it gives the address nothing extra', async () => {
      const { clock, limiter } = limiterOf({ addressAttempts: 2, windowSeconds: 60 });
      await limiter.acquire(ALICE);
      clock.advance(60 * SECOND);

      await limiter.release(ALICE);

      await failTimes(limiter, { account: 'bob', address: ALICE.address }, 2);
      await expect(limiter.acquire({ account: 'carol', address: ALICE.address })).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('when the address is unknown, then only the account is cleared', async () => {
      const { limiter } = limiterOf({ accountAttempts: 5, addressAttempts: 1 });
      await limiter.acquire(ALICE);

      await limiter.release({ account: 'alice', address: null });

      await expect(limiter.acquire({ account: 'bob', address: ALICE.address })).rejects.toBeInstanceOf(RateLimitedError);
    });
  });
});
