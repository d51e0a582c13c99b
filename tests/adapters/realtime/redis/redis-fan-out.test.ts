/**
 * What only the Redis streams promise: several instances share the streams, so an event published
 * through one reaches the subscribers of every other with the same offset, offsets never collide,
 * and an outage is announced and recovered from without a restart.
 */
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import type { DomainEvent } from '../../../../src/application/ports/event-publisher.port.js';
import type { HistoryLimits } from '../../../../src/adapters/realtime/event-streams.js';
import { RedisEventStreams } from '../../../../src/adapters/realtime/redis.event-streams.js';
import type { StreamEvent, StreamFrame } from '../../../../src/adapters/realtime/stream-frame.js';
import { SystemClock } from '../../../../src/adapters/system/system.clock.js';
import { UnavailableError } from '../../../../src/domain/domain-error.js';
import { at, HOUR } from '../../../support/builders.js';
import { Collector } from '../../../support/frame-collector.js';
import { describeWithRedis, dropKeys, uniqueKeyPrefix } from '../../../support/redis-test.js';
import { silentLogger } from '../../../support/silent-logger.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';

const ALICE = '0b4f6c2e-0000-4000-8000-00000000000a';
const HISTORY: HistoryLimits = { maxEvents: 1_000, maxAgeMs: 24 * HOUR, maxBytes: 4 * 1024 * 1024 };

const sent = (id: number): DomainEvent => ({
  type: 'message.created',
  userId: ALICE,
  sessionId: 1,
  message: {
    id,
    sessionId: 1,
    parentId: null,
    clientId: null,
    text: `Message ${id}`,
    sender: 'user',
    status: 'complete',
    metadata: null,
    editedAt: null,
    createdAt: at(id),
    updatedAt: at(id),
  },
});
const offsetsOf = (frames: readonly StreamFrame[]): number[] =>
  frames.filter((frame): frame is StreamEvent => 'offset' in frame && frame.type !== 'ready').map((event) => event.offset);
const idsOf = (frames: readonly StreamFrame[]): number[] =>
  frames.flatMap((frame) => (frame.type === 'message.created' ? [(frame['message'] as { id: number }).id] : []));

describeWithRedis('redis streams across instances', (url) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const instance = async (keyPrefix: string, redisUrl = url): Promise<RedisEventStreams> => {
    const streams = new RedisEventStreams({
      url: redisUrl,
      keyPrefix,
      history: HISTORY,
      clock: new SystemClock(),
      logger: silentLogger,
      probeIntervalMs: 100,
      commandTimeoutMs: 500,
      connectTimeoutMs: 500,
    });
    await streams.start();
    cleanups.push(() => streams.close());
    return streams;
  };
  const sharedPrefix = (): string => {
    const prefix = uniqueKeyPrefix();
    cleanups.push(() => dropKeys(url, prefix));
    return prefix;
  };
  const listen = async (streams: RedisEventStreams): Promise<Collector<StreamFrame>> => {
    const collector = new Collector<StreamFrame>();
    await streams.subscribe(ALICE, collector.push);
    return collector;
  };

  it('when an event is published through instance A, a subscriber on instance B gets it with the same offset as one on A', async () => {
    const prefix = sharedPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const onA = await listen(a);
    const onB = await listen(b);
    await a.publish(sent(1));
    await b.publish(sent(2));
    const fromA = await onA.atLeast(3);
    const fromB = await onB.atLeast(3);
    expect(fromB.slice(1)).toEqual(fromA.slice(1));
    expect(offsetsOf(fromB)).toEqual([1, 2]);
  });

  it('when 200 events are published concurrently through two instances, a subscriber on each gets offsets 1..200, none missing or doubled', async () => {
    const prefix = sharedPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const onA = await listen(a);
    const onB = await listen(b);
    await Promise.all(Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? a : b).publish(sent(index + 1))));
    const expected = Array.from({ length: 200 }, (_, index) => index + 1);
    for (const collector of [onA, onB]) {
      const frames = await collector.atLeast(201, 10_000);
      expect(offsetsOf(await collector.settle())).toEqual(expected);
      expect(idsOf(frames).sort((x, y) => x - y)).toEqual(expected);
    }
  });

  it('when a login ends on instance A, listeners on A and B are each told once', async () => {
    const prefix = sharedPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const onA = new Collector<readonly string[]>();
    const onB = new Collector<readonly string[]>();
    a.onLoginsEnded((_userId, loginIds) => onA.push(loginIds));
    b.onLoginsEnded((_userId, loginIds) => onB.push(loginIds));
    await a.publish({ type: 'logins.ended', userId: ALICE, loginIds: ['login-1'] });
    expect(await onB.atLeast(1)).toEqual([['login-1']]);
    expect(await onA.settle(200)).toEqual([['login-1']]);
    expect(onB.items).toHaveLength(1);
  });

  it('when Redis goes away, subscribers get degraded, publishing does not throw and new subscriptions are refused; when it is back, resync, then live events', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const prefix = sharedPrefix();
    const streams = await instance(prefix, `redis://127.0.0.1:${proxy.port}`);
    const collector = await listen(streams);

    await proxy.stop();
    await collector.until((frames) => frames.some((frame) => frame.type === 'degraded'));
    expect(streams.isHealthy()).toBe(false);
    await expect(streams.publish(sent(1))).resolves.toBeUndefined();
    await expect(streams.subscribe(ALICE, () => undefined)).rejects.toBeInstanceOf(UnavailableError);

    await proxy.start();
    await collector.until((frames) => frames.some((frame) => frame.type === 'resync'), 10_000);
    expect(streams.isHealthy()).toBe(true);
    await streams.publish(sent(2));
    const frames = await collector.until((items) => idsOf(items).includes(2));
    expect(frames.map((frame) => frame.type)).toEqual(['ready', 'degraded', 'resync', 'message.created']);
  });

  it('when an instance loses an event in an outage, its offset is skipped once Redis is back: others see the gap, and no resume across it is recovered', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const prefix = sharedPrefix();
    const cut = await instance(prefix, `redis://127.0.0.1:${proxy.port}`);
    const fine = await instance(prefix);
    const onFine = await listen(fine);
    const onCut = await listen(cut);
    await fine.publish(sent(1));
    const [, first] = await onFine.atLeast(2);
    const before = { epoch: (first as StreamEvent).epoch, offset: (first as StreamEvent).offset };

    await proxy.stop();
    await onCut.until((frames) => frames.some((frame) => frame.type === 'degraded'));
    await cut.publish(sent(2));
    await proxy.start();
    await onCut.until((frames) => frames.some((frame) => frame.type === 'resync'), 10_000);
    await fine.publish(sent(3));

    const frames = await onFine.until((items) => idsOf(items).includes(3));
    expect(frames.slice(2)).toEqual([{ type: 'resync' }, expect.objectContaining({ type: 'message.created', offset: 3 })]);
    const resumed = new Collector<StreamFrame>();
    await fine.subscribe(ALICE, resumed.push, { since: before });
    expect(resumed.items).toEqual([{ type: 'ready', epoch: before.epoch, offset: 3, recovered: false }]);
  });

  it('when Redis stops answering without closing the connection, subscribers get degraded, then resync once it answers', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const streams = await instance(sharedPrefix(), `redis://127.0.0.1:${proxy.port}`);
    const collector = await listen(streams);

    await proxy.blackHole();
    await collector.until((frames) => frames.some((frame) => frame.type === 'degraded'), 10_000);
    await proxy.start();
    await collector.until((frames) => frames.some((frame) => frame.type === 'resync'), 10_000);
    await streams.publish(sent(1));
    expect(idsOf(await collector.until((items) => idsOf(items).length === 1))).toEqual([1]);
  });

  it("when the user's stream is lost (Redis flushed), live subscribers are told to resync and the stream goes on under a new epoch", async () => {
    const prefix = sharedPrefix();
    const streams = await instance(prefix);
    const collector = await listen(streams);
    await streams.publish(sent(1));
    const [, first] = await collector.atLeast(2);
    const admin = new Redis(url);
    cleanups.push(async () => void admin.disconnect());
    const keys = await admin.keys(`${prefix}*`);
    await admin.del(...keys.filter((key) => key.includes('stream:')));

    await streams.publish(sent(2));
    const frames = await collector.atLeast(4);
    const second = frames[3] as StreamEvent;
    expect(frames[2]).toEqual({ type: 'resync' });
    expect(second.offset).toBe(1);
    expect(second.epoch).not.toBe((first as StreamEvent).epoch);
  });

  it('when Redis cannot be reached at start, start fails naming where it looked, without the password', async () => {
    const streams = new RedisEventStreams({
      url: 'redis://:sekret@127.0.0.1:1',
      keyPrefix: uniqueKeyPrefix(),
      history: HISTORY,
      clock: new SystemClock(),
      logger: silentLogger,
      connectTimeoutMs: 500,
    });
    const failure = await streams.start().then(
      () => null,
      (error: unknown) => error as Error,
    );
    await streams.close();
    expect(failure?.message).toMatch(/^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(failure?.message).not.toContain('sekret');
  });
});
