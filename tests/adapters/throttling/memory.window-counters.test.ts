/**
 * What only the memory counters do (the rest is the window-counters contract): their windows run
 * on the Clock port and on nothing else, which is what lets the harness's manual clock end a lock.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/system/manual.clock.js';
import { MemoryWindowCounters } from '../../../src/adapters/throttling/memory.window-counters.js';

describe('MemoryWindowCounters', () => {
  it('when real time passes but the clock does not, the key is kept', async () => {
    const counters = new MemoryWindowCounters(new ManualClock());
    const counter = counters.counter('k', { windowMs: 1_000 });
    await counter.add('alice');
    await counter.hold('bob', 5, 1_000);

    await new Promise((resolve) => setTimeout(resolve, 1_100));

    expect(await counter.get('alice')).toEqual({ count: 1, msLeft: 1_000 });
    expect(await counter.get('bob')).toEqual({ count: 5, msLeft: 1_000 });
  });

  it('when the clock reaches the end of a window, to the millisecond, the key is forgotten', async () => {
    const clock = new ManualClock();
    const counter = new MemoryWindowCounters(clock).counter('k', { windowMs: 60_000 });
    await counter.add('alice');

    clock.advance(59_999);
    expect(await counter.get('alice')).toEqual({ count: 1, msLeft: 1 });
    clock.advance(1);

    expect(await counter.get('alice')).toEqual({ count: 0, msLeft: 0 });
  });

  it('answers the same counter for a name asked twice, and refuses the name with another window', async () => {
    const counters = new MemoryWindowCounters(new ManualClock());
    const counter = counters.counter('k', { windowMs: 1_000 });
    await counter.add('alice');

    expect(await counters.counter('k', { windowMs: 1_000 }).get('alice')).toMatchObject({ count: 1 });
    expect(() => counters.counter('k', { windowMs: 2_000 })).toThrow('the counter k already has a window of 1000 ms');
  });
});
