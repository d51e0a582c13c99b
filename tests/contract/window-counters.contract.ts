import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WindowCounters } from '../../src/application/ports/window-counters.port.js';
import { LoginThrottle } from '../../src/application/throttling/login-throttle.service.js';
import type { ThrottleLimits } from '../../src/application/throttling/throttle-limits.js';
import { RateLimitedError } from '../../src/domain/domain-error.js';

/** One store the window-counters contract runs against (memory on a manual clock, Redis). */
export interface WindowCountersTarget {
  readonly name: string;
  /** A fresh store, started; `passTime` moves the store's own time on (the Clock, or Redis's). */
  open(): Promise<{ counters: WindowCounters; passTime(ms: number): Promise<void>; close(): Promise<void> }>;
}

const SECOND = 1_000;
// Redis expires keys by the second and its time is real: the windows that are waited out are short.
const SHORT_WINDOW = { windowMs: SECOND };

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const uniqueKey = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;

const PASSWORD_FAILURES: ThrottleLimits['passwordFailures'] = {
  perAccountAndAddress: { points: 5, windowSeconds: 60 },
  perAddress: { points: 20, windowSeconds: 60 },
  perAccount: { points: 8, windowSeconds: 60 },
};

/**
 * What every `WindowCounters` store must do, seen through the port: counts per key in fixed
 * windows, atomic under concurrent callers, forgotten when the window or a hold ends, never taken
 * below zero; and, over each store, the login throttle built on it keeps its promises (no more
 * guesses compared than a limit even when sent at once, concurrent correct logins never refused,
 * a stranger never locking the owner out of an address the owner has used).
 */
export const describeWindowCountersContract = (target: WindowCountersTarget): void => {
  describe(`window counters contract: ${target.name}`, () => {
    let store: Awaited<ReturnType<WindowCountersTarget['open']>>;
    let counters: WindowCounters;

    beforeEach(async () => {
      store = await target.open();
      counters = store.counters;
    });
    afterEach(async () => {
      await store.close();
    });

    describe('counting', () => {
      it('when points are added to a key, each add answers the count so far and the time left of one window', async () => {
        const counter = counters.counter('counting', { windowMs: 60 * SECOND });
        const key = uniqueKey('k');

        const first = await counter.add(key);
        const second = await counter.add(key, 3);

        expect(first.count).toBe(1);
        expect(second.count).toBe(4);
        for (const { msLeft } of [first, second]) {
          expect(msLeft).toBeGreaterThan(55 * SECOND);
          expect(msLeft).toBeLessThanOrEqual(60 * SECOND);
        }
        expect((await counter.get(key)).count).toBe(4);
      });

      it('when a key holds nothing, it reads as zero with no time left', async () => {
        expect(await counters.counter('counting', { windowMs: 60 * SECOND }).get(uniqueKey('never'))).toEqual({ count: 0, msLeft: 0 });
      });

      it('keeps keys apart, and the same key apart under two counter names', async () => {
        const one = counters.counter('one', { windowMs: 60 * SECOND });
        const other = counters.counter('other', { windowMs: 60 * SECOND });
        const key = uniqueKey('shared');
        await one.add(key, 2);

        expect((await one.get(uniqueKey('another'))).count).toBe(0);
        expect((await other.get(key)).count).toBe(0);
        expect((await other.add(key)).count).toBe(1);
      });

      it('when 50 adds to one key run at once, each answers a different count, 1 to 50', async () => {
        const counter = counters.counter('concurrent', { windowMs: 60 * SECOND });
        const key = uniqueKey('burst');

        const counts = await Promise.all(Array.from({ length: 50 }, () => counter.add(key)));

        expect(counts.map(({ count }) => count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
      });
    });

    describe('windows', () => {
      it('when the window passes, the key is forgotten, and the next add starts a new window', async () => {
        const counter = counters.counter('windows', SHORT_WINDOW);
        const key = uniqueKey('k');
        await counter.add(key, 3);

        await store.passTime(SECOND + 100);

        expect(await counter.get(key)).toEqual({ count: 0, msLeft: 0 });
        const fresh = await counter.add(key);
        expect(fresh.count).toBe(1);
        expect(fresh.msLeft).toBeGreaterThan(0);
      });

      it('when points are added later in the window, the window still ends where it began (a fixed window)', async () => {
        const counter = counters.counter('fixed', { windowMs: 2 * SECOND });
        const key = uniqueKey('k');
        await counter.add(key);
        await store.passTime(1_200);
        expect((await counter.add(key)).count).toBe(2);

        await store.passTime(1_000);

        expect((await counter.get(key)).count).toBe(0);
      });

      it('when a key is held, it keeps that count past the end of its window, then is forgotten', async () => {
        const counter = counters.counter('holds', SHORT_WINDOW);
        const key = uniqueKey('k');
        await counter.add(key);

        await counter.hold(key, 7, 3 * SECOND);
        const held = await counter.get(key);
        await store.passTime(SECOND + 500);

        expect(held.count).toBe(7);
        expect(held.msLeft).toBeGreaterThan(2 * SECOND);
        expect(held.msLeft).toBeLessThanOrEqual(3 * SECOND);
        expect((await counter.get(key)).count).toBe(7);
        await store.passTime(2 * SECOND);
        expect((await counter.get(key)).count).toBe(0);
      });

      it('when a key is deleted, it is forgotten at once', async () => {
        const counter = counters.counter('deletes', { windowMs: 60 * SECOND });
        const key = uniqueKey('k');
        await counter.add(key, 4);

        await counter.delete(key);

        expect(await counter.get(key)).toEqual({ count: 0, msLeft: 0 });
        await expect(counter.delete(uniqueKey('never'))).resolves.toBeUndefined();
      });
    });

    describe('taking points back', () => {
      it('takes points from a held key but never below zero, and keeps its window', async () => {
        const counter = counters.counter('subtract', { windowMs: 60 * SECOND });
        const key = uniqueKey('k');
        await counter.add(key, 3);

        await counter.subtract(key);
        expect((await counter.get(key)).count).toBe(2);
        await counter.subtract(key, 5);

        const left = await counter.get(key);
        expect(left.count).toBe(0);
        expect((await counter.add(key)).count).toBe(1);
      });

      it('when the window of the key has passed, taking points back leaves it forgotten: the next add counts one, not zero', async () => {
        const counter = counters.counter('late-subtract', SHORT_WINDOW);
        const key = uniqueKey('k');
        await counter.add(key);
        await store.passTime(SECOND + 100);

        await counter.subtract(key);
        await counter.subtract(uniqueKey('never'));

        expect(await counter.get(key)).toEqual({ count: 0, msLeft: 0 });
        expect((await counter.add(key)).count).toBe(1);
      });

      it('when adds and takebacks of one key run at once, none is lost', async () => {
        const counter = counters.counter('mixed', { windowMs: 60 * SECOND });
        const key = uniqueKey('k');
        await counter.add(key, 20);

        await Promise.all([
          ...Array.from({ length: 30 }, () => counter.add(key)),
          ...Array.from({ length: 10 }, () => counter.subtract(key)),
        ]);

        expect((await counter.get(key)).count).toBe(40);
      });
    });

    describe('the login throttle over this store', () => {
      /** The throttle over this test's store, made on first use (a store holds one set of limits). */
      let made: LoginThrottle | undefined;
      const throttle = (limits: ThrottleLimits['passwordFailures'] = PASSWORD_FAILURES): LoginThrottle =>
        (made ??= new LoginThrottle(counters, limits));
      const right = 'right';
      /** A comparison that takes a little while, as bcrypt does, so that attempts overlap. */
      const compare = (password: string) => async () => {
        await delay(5);
        return password === right;
      };
      const outcome = async (attempt: Parameters<LoginThrottle['check']>[0], password: string): Promise<string> => {
        try {
          return (await throttle().check(attempt, compare(password))) ? 'matched' : 'failed';
        } catch (error) {
          if (error instanceof RateLimitedError) return 'limited';
          throw error;
        }
      };
      const tally = (outcomes: readonly string[]) =>
        outcomes.reduce<Record<string, number>>((counts, each) => ({ ...counts, [each]: (counts[each] ?? 0) + 1 }), {});

      beforeEach(() => {
        made = undefined;
      });

      it('when 20 wrong passwords for one account from one address arrive at once, then at most 5 are compared and the rest are refused', async () => {
        const attempt = { account: uniqueKey('user'), address: '203.0.113.1' };

        const outcomes = tally(await Promise.all(Array.from({ length: 20 }, () => outcome(attempt, 'wrong'))));

        expect(outcomes).toEqual({ failed: 5, limited: 15 });
        expect(await outcome(attempt, right)).toBe('limited');
      });

      it('when 30 wrong passwords for one account arrive at once from many addresses, then no more are compared than the account allows', async () => {
        const account = uniqueKey('user');

        const outcomes = tally(
          await Promise.all(Array.from({ length: 30 }, (_, index) => outcome({ account, address: `198.51.100.${index + 1}` }, 'wrong'))),
        );

        expect(outcomes).toEqual({ failed: PASSWORD_FAILURES.perAccount.points, limited: 30 - PASSWORD_FAILURES.perAccount.points });
      });

      it('when 12 right passwords for one account from one address arrive at once, then all 12 are compared and match', async () => {
        const attempt = { account: uniqueKey('user'), address: '203.0.113.2' };

        const outcomes = tally(await Promise.all(Array.from({ length: 12 }, () => outcome(attempt, right))));

        expect(outcomes).toEqual({ matched: 12 });
      });

      it('when the right password follows wrong ones, then it matches and its account-and-address count starts over', async () => {
        const attempt = { account: uniqueKey('user'), address: '203.0.113.3' };
        // Three, then five: within the account's eight over all addresses, past five at one had they still counted.
        for (let failure = 0; failure < 3; failure += 1) expect(await outcome(attempt, 'wrong')).toBe('failed');

        expect(await outcome(attempt, right)).toBe('matched');

        for (let failure = 0; failure < 5; failure += 1) expect(await outcome(attempt, 'wrong')).toBe('failed');
        expect(await outcome(attempt, right)).toBe('limited');
      });

      it('when strangers fail on an account from many addresses, then an address it has signed in from is not held to its per-account limit', async () => {
        const account = uniqueKey('user');
        const home = '192.0.2.10';
        let asked = 0;
        const isKnownAddress = async () => {
          asked += 1;
          return true;
        };
        const fromHome = { account, address: home, isKnownAddress };
        const strangers = Array.from({ length: PASSWORD_FAILURES.perAccount.points }, (_, index) => outcome({ account, address: `198.51.100.${index + 1}` }, 'wrong'));
        expect(tally(await Promise.all(strangers))).toEqual({ failed: PASSWORD_FAILURES.perAccount.points });

        expect(await outcome({ account, address: '198.51.100.200' }, right)).toBe('limited');
        expect(await outcome(fromHome, right)).toBe('matched');
        expect(await outcome(fromHome, 'wrong')).toBe('failed');
        expect(asked).toBeGreaterThanOrEqual(1);
      });

      it('when an attempt is refused, it says how long the lock has left, and once that time has passed the account may try again', async () => {
        const shortLock = throttle({ ...PASSWORD_FAILURES, perAccountAndAddress: { points: 2, windowSeconds: 1 } });
        const attempt = { account: uniqueKey('user'), address: '203.0.113.4' };
        for (let failure = 0; failure < 2; failure += 1) expect(await shortLock.check(attempt, compare('wrong'))).toBe(false);

        const refusal = await shortLock.check(attempt, compare(right)).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(RateLimitedError);
        expect((refusal as RateLimitedError).retryAfterSeconds).toBe(1);
        await store.passTime(SECOND + 100);

        expect(await shortLock.check(attempt, compare(right))).toBe(true);
      });

      it('when the comparison cannot run, the attempt counts as neither a failure nor a success', async () => {
        const attempt = { account: uniqueKey('user'), address: '203.0.113.5' };
        const broken = new Error('the hashing queue is full');
        for (let attemptNo = 0; attemptNo < 10; attemptNo += 1) {
          await expect(throttle().check(attempt, () => Promise.reject(broken))).rejects.toBe(broken);
        }

        const outcomes = tally(await Promise.all(Array.from({ length: 7 }, () => outcome(attempt, 'wrong'))));

        expect(outcomes).toEqual({ failed: 5, limited: 2 });
      });
    });
  });
};
