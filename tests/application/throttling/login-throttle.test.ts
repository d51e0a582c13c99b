/**
 * The login throttle's waiting, one attempt at a time (the window-counters contract shows its
 * limits over every store): an attempt that finds only attempts in flight ahead of it waits for
 * their outcome instead of being refused, and the per-account exemption is looked up only when
 * it matters.
 */
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../src/application/throttling/login-throttle.service.js';
import type { ThrottleLimits } from '../../../src/application/throttling/throttle-limits.js';
import { ManualClock } from '../../../src/adapters/system/manual.clock.js';
import { MemoryWindowCounters } from '../../../src/adapters/throttling/memory.window-counters.js';
import { RateLimitedError, UnavailableError } from '../../../src/domain/domain-error.js';

const limits = (perAccountAndAddress: number, perAccount = 100): ThrottleLimits['passwordFailures'] => ({
  perAccountAndAddress: { points: perAccountAndAddress, windowSeconds: 900 },
  perAddress: { points: 20, windowSeconds: 900 },
  perAccount: { points: perAccount, windowSeconds: 86_400 },
});

/** A comparison that answers only when the test says so. */
const heldComparison = () => {
  let answer: (matched: boolean) => void = () => undefined;
  let started = false;
  const compare = () =>
    new Promise<boolean>((resolve) => {
      started = true;
      answer = resolve;
    });
  return { compare, answer: (matched: boolean) => answer(matched), started: () => started };
};

const until = async (condition: () => boolean): Promise<void> => {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

const ATTEMPT = { account: 'user:alice', address: '203.0.113.9' };

describe('LoginThrottle', () => {
  it('when the one attempt the limit has room for is in flight, the next waits, and goes ahead once that one matches', async () => {
    const throttle = new LoginThrottle(new MemoryWindowCounters(new ManualClock()), limits(1));
    const first = heldComparison();
    const second = heldComparison();
    const firstCheck = throttle.check(ATTEMPT, first.compare);
    await until(first.started);

    const secondCheck = throttle.check(ATTEMPT, second.compare);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.started()).toBe(false);
    first.answer(true);
    await until(second.started);
    second.answer(true);

    expect(await Promise.all([firstCheck, secondCheck])).toEqual([true, true]);
  });

  it('when the attempt ahead fails and so reaches the limit, the waiting one is refused with the time the lock has left, never compared', async () => {
    const throttle = new LoginThrottle(new MemoryWindowCounters(new ManualClock()), limits(1));
    const first = heldComparison();
    const second = heldComparison();
    const firstCheck = throttle.check(ATTEMPT, first.compare);
    await until(first.started);
    const secondCheck = throttle.check(ATTEMPT, second.compare).catch((error: unknown) => error);

    first.answer(false);

    expect(await firstCheck).toBe(false);
    const refusal = await secondCheck;
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBe(900);
    expect(second.started()).toBe(false);
  });

  it('when the attempts ahead do not finish within the wait, the waiting one is turned away as busy (503), not as rate limited', async () => {
    const throttle = new LoginThrottle(new MemoryWindowCounters(new ManualClock()), limits(1), { settleWaitMs: 100 });
    const first = heldComparison();
    const firstCheck = throttle.check(ATTEMPT, first.compare);
    await until(first.started);

    const turnedAway = await throttle.check(ATTEMPT, async () => true).catch((error: unknown) => error);

    expect(turnedAway).toBeInstanceOf(UnavailableError);
    expect(turnedAway).toMatchObject({ code: 'server_busy' });
    first.answer(true);
    expect(await firstCheck).toBe(true);
    // It left nothing behind: the limit has its one place again.
    expect(await throttle.check(ATTEMPT, async () => true)).toBe(true);
  });

  it('asks whether the address is known only once the per-account limit would refuse, and then lets a known address through', async () => {
    const throttle = new LoginThrottle(new MemoryWindowCounters(new ManualClock()), limits(5, 2));
    let asked = 0;
    const fromHome = {
      account: 'user:alice',
      address: '192.0.2.1',
      isKnownAddress: async () => {
        asked += 1;
        return true;
      },
    };

    expect(await throttle.check(fromHome, async () => true)).toBe(true);
    for (const address of ['198.51.100.1', '198.51.100.2']) expect(await throttle.check({ account: 'user:alice', address }, async () => false)).toBe(false);
    expect(asked).toBe(0);

    expect(await throttle.check(fromHome, async () => true)).toBe(true);
    expect(asked).toBe(1);
    await expect(throttle.check({ account: 'user:alice', address: '198.51.100.3' }, async () => true)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('without an address, counts the account and address-less attempts as one address, and no per-address limit', async () => {
    const throttle = new LoginThrottle(new MemoryWindowCounters(new ManualClock()), limits(2));
    const nowhere = { account: 'user:alice', address: null };
    for (let failure = 0; failure < 2; failure += 1) expect(await throttle.check(nowhere, async () => false)).toBe(false);

    await expect(throttle.check(nowhere, async () => true)).rejects.toBeInstanceOf(RateLimitedError);
    expect(await throttle.check({ account: 'user:alice', address: '192.0.2.1' }, async () => true)).toBe(true);
  });

  it('when an attempt is refused, it counts against none of its limits: a locked address leaves the account its allowance elsewhere, a locked account leaves the address its allowance', async () => {
    const throttle = new LoginThrottle(new MemoryWindowCounters(new ManualClock()), {
      perAccountAndAddress: { points: 5, windowSeconds: 900 },
      perAddress: { points: 1, windowSeconds: 900 },
      perAccount: { points: 2, windowSeconds: 86_400 },
    });
    const wrong = async () => false;
    expect(await throttle.check({ account: 'user:bob', address: '203.0.113.1' }, wrong)).toBe(false);
    for (let refused = 0; refused < 3; refused += 1) {
      await expect(throttle.check({ account: 'user:alice', address: '203.0.113.1' }, wrong)).rejects.toBeInstanceOf(RateLimitedError);
    }

    // Alice's two failures are all still to come, from elsewhere.
    expect(await throttle.check({ account: 'user:alice', address: '203.0.113.2' }, wrong)).toBe(false);
    expect(await throttle.check({ account: 'user:alice', address: '203.0.113.3' }, wrong)).toBe(false);
    await expect(throttle.check({ account: 'user:alice', address: '203.0.113.4' }, wrong)).rejects.toBeInstanceOf(RateLimitedError);
    // Refused at her account, 203.0.113.4 paid nothing: it still has its one failure for someone else.
    expect(await throttle.check({ account: 'user:carol', address: '203.0.113.4' }, wrong)).toBe(false);
  });
});
