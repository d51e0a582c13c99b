import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '../../../src/application/ports/password-hasher.port.js';
import { QueuedPasswordHasher } from '../../../src/adapters/security/queued.password-hasher.js';
import { UnavailableError } from '../../../src/domain/domain-error.js';

/** A hasher whose every run waits until the test lets it finish, recording what runs. */
const gatedHasher = () => {
  const running: string[] = [];
  const started: string[] = [];
  const gates: Array<{ name: string; finish: () => void; fail: (error: Error) => void }> = [];
  const run = <T>(name: string, value: T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      running.push(name);
      started.push(name);
      const leave = () => running.splice(running.indexOf(name), 1);
      gates.push({
        name,
        finish: () => {
          leave();
          resolve(value);
        },
        fail: (error) => {
          leave();
          reject(error);
        },
      });
    });
  const inner: PasswordHasher = {
    hash: (password) => run(password, `hash-of-${password}`),
    verify: (password) => run(password, true),
  };
  /** Lets the oldest unfinished run finish, then gives the queue a turn to start the next. */
  const finishOldest = async (error?: Error) => {
    const gate = gates.shift();
    if (!gate) throw new Error('nothing is running');
    if (error) gate.fail(error);
    else gate.finish();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { inner, running, started, finishOldest };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('QueuedPasswordHasher', () => {
  it('runs at most `concurrency` at once and starts the waiting ones in order as others finish', async () => {
    const { inner, running, started, finishOldest } = gatedHasher();
    const hasher = new QueuedPasswordHasher(inner, { concurrency: 2, queueLimit: 3 });

    const results = ['a', 'b', 'c', 'd', 'e'].map((name) => hasher.hash(name));
    await settle();
    expect(running).toEqual(['a', 'b']);

    await finishOldest();
    expect(running).toEqual(['b', 'c']);
    for (let left = 0; left < 4; left += 1) await finishOldest();

    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e'].map((name) => `hash-of-${name}`));
  });

  it('when the queue is full, refuses the next at once with 503 server_busy and a Retry-After, running nothing more', async () => {
    const { inner, running, finishOldest } = gatedHasher();
    const hasher = new QueuedPasswordHasher(inner, { concurrency: 1, queueLimit: 2 });
    const accepted = ['a', 'b', 'c'].map((name) => hasher.verify(name, 'hash'));
    await settle();

    const refused = await hasher.verify('d', 'hash').catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(UnavailableError);
    expect(refused).toMatchObject({ code: 'server_busy', message: 'Server busy, try again later' });
    expect((refused as UnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(running).toEqual(['a']);
    for (let left = 0; left < 3; left += 1) await finishOldest();
    expect(await Promise.all(accepted)).toEqual([true, true, true]);
  });

  it('when the queue has drained, it accepts as many again', async () => {
    const { inner, finishOldest } = gatedHasher();
    const hasher = new QueuedPasswordHasher(inner, { concurrency: 1, queueLimit: 1 });
    const first = [hasher.hash('a'), hasher.hash('b')];
    await settle();
    await expect(hasher.hash('c')).rejects.toBeInstanceOf(UnavailableError);
    await finishOldest();
    await finishOldest();
    await Promise.all(first);

    const again = [hasher.hash('d'), hasher.hash('e')];
    await settle();
    await finishOldest();
    await finishOldest();

    expect(await Promise.all(again)).toEqual(['hash-of-d', 'hash-of-e']);
  });

  it('when a run fails, its failure is the answer and its slot passes to the next in line', async () => {
    const { inner, running, finishOldest } = gatedHasher();
    const hasher = new QueuedPasswordHasher(inner, { concurrency: 1, queueLimit: 1 });
    // Its outcome taken at once, so the rejection is handled when it comes.
    const failing = hasher.hash('a').catch((error: unknown) => error);
    const next = hasher.hash('b');
    await settle();

    await finishOldest(new Error('bcrypt failed'));

    expect(await failing).toMatchObject({ message: 'bcrypt failed' });
    expect(running).toEqual(['b']);
    await finishOldest();
    await expect(next).resolves.toBe('hash-of-b');
  });

  it('with no queue at all, refuses whatever finds every slot taken', async () => {
    const { inner, finishOldest } = gatedHasher();
    const hasher = new QueuedPasswordHasher(inner, { concurrency: 1, queueLimit: 0 });
    const first = hasher.hash('a');
    await settle();

    await expect(hasher.hash('b')).rejects.toMatchObject({ code: 'server_busy' });
    await finishOldest();
    await expect(first).resolves.toBe('hash-of-a');
  });

  it.each([
    [{ concurrency: 0, queueLimit: 1 }],
    [{ concurrency: 1.5, queueLimit: 1 }],
    [{ concurrency: 1, queueLimit: -1 }],
  ])('refuses the limits %j', (limits) => {
    expect(() => new QueuedPasswordHasher(gatedHasher().inner, limits)).toThrow();
  });
});
