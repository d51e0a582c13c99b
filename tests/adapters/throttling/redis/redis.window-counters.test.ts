/**
 * What only the Redis counters do (the rest is the window-counters contract): they are shared by
 * every store on one Redis and key prefix, and they fail as `UnavailableError` while Redis is away
 * (through a TCP proxy the test controls), then work again with no restart.
 */
import { afterEach, expect, it } from 'vitest';
import { RedisWindowCounters } from '../../../../src/adapters/throttling/redis.window-counters.js';
import { UnavailableError } from '../../../../src/domain/domain-error.js';
import { describeWithRedis, dropKeys, uniqueKeyPrefix } from '../../../support/redis-test.js';
import { silentLogger } from '../../../support/silent-logger.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';

describeWithRedis('RedisWindowCounters (redis)', (url) => {
  const opened: Array<{ close(): Promise<void> }> = [];
  const prefixes: string[] = [];
  const open = async (at = url, keyPrefix = uniqueKeyPrefix()) => {
    prefixes.push(keyPrefix);
    const counters = new RedisWindowCounters({ url: at, keyPrefix, logger: silentLogger, commandTimeoutMs: 500, connectTimeoutMs: 500 });
    await counters.start();
    opened.push(counters);
    return counters;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((counters) => counters.close()));
    await Promise.all(prefixes.splice(0).map((prefix) => dropKeys(url, prefix)));
  });

  it('when two stores share a Redis and a key prefix, they count together, and another prefix counts apart', async () => {
    const prefix = uniqueKeyPrefix();
    const [one, other, elsewhere] = await Promise.all([open(url, prefix), open(url, prefix), open()]);

    await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? one : other).counter('c', { windowMs: 60_000 }).add('k')));

    expect((await one.counter('c', { windowMs: 60_000 }).get('k')).count).toBe(10);
    expect((await elsewhere.counter('c', { windowMs: 60_000 }).get('k')).count).toBe(0);
  });

  it('when Redis cannot be reached at start, says where it looked, without the password', async () => {
    const proxy = new TcpProxy('127.0.0.1', 1);
    await proxy.start();
    const port = proxy.port;
    await proxy.stop();
    const counters = new RedisWindowCounters({ url: `redis://user:s3cret@127.0.0.1:${port}`, keyPrefix: 'x:', logger: silentLogger, connectTimeoutMs: 500 });

    const failure = await counters.start().catch((error: unknown) => error as Error);

    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).toMatch(new RegExp(`^cannot reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
    expect(failure?.message).not.toContain('s3cret');
  });

  it('when Redis goes away, every operation fails as unavailable at once, and once it is back they work again', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    try {
      const counters = await open(`redis://127.0.0.1:${proxy.port}`);
      const counter = counters.counter('outage', { windowMs: 60_000 });
      expect((await counter.add('k')).count).toBe(1);

      await proxy.stop();
      const during = await Promise.all([
        counter.add('k').catch((error: unknown) => error),
        counter.get('k').catch((error: unknown) => error),
        counter.subtract('k').catch((error: unknown) => error),
        counter.hold('k', 3, 1_000).catch((error: unknown) => error),
        counter.delete('k').catch((error: unknown) => error),
      ]);
      for (const error of during) expect(error).toBeInstanceOf(UnavailableError);

      await proxy.start();
      let back: number | undefined;
      for (let attempt = 0; attempt < 100 && back === undefined; attempt += 1) {
        back = await counter.add('k').then(({ count }) => count, () => undefined);
        if (back === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(back).toBe(2);
    } finally {
      await proxy.stop();
    }
  });
});
