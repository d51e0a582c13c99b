import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/application/ports/event-publisher.port.js';
import type { MessageView } from '../../src/application/views/message.view.js';
import type { SessionView } from '../../src/application/views/session.view.js';
import type { EventStreams, HistoryLimits } from '../../src/adapters/realtime/event-streams.js';
import type { ReadyFrame, StreamEvent, StreamFrame } from '../../src/adapters/realtime/stream-frame.js';
import { ManualClock } from '../../src/adapters/system/manual.clock.js';
import { at, HOUR } from '../support/builders.js';
import { Collector } from '../support/frame-collector.js';

/** One adapter the event-stream contract runs against (in-process, Redis). */
export interface EventStreamsTarget {
  readonly name: string;
  /** Streams with these limits and clock, started; every stream opened by one test is fresh. */
  open(options: { history: HistoryLimits; clock: ManualClock }): Promise<EventStreams>;
}

const ALICE = '0b4f6c2e-0000-4000-8000-00000000000a';
const BOB = '0b4f6c2e-0000-4000-8000-00000000000b';
const SESSION_ID = 12;

const message = (id: number, text = `Message ${id}`): MessageView => ({
  id,
  sessionId: SESSION_ID,
  parentId: null,
  clientId: null,
  text,
  sender: 'user',
  status: 'complete',
  metadata: null,
  editedAt: null,
  createdAt: at(id),
  updatedAt: at(id),
});
const session = (): SessionView => ({
  id: SESSION_ID,
  title: 'Chat',
  messageCount: 0,
  lastMessageAt: null,
  createdAt: at(0),
  updatedAt: at(0),
});
const sent = (id: number, userId = ALICE): DomainEvent => ({ type: 'message.created', userId, sessionId: SESSION_ID, message: message(id) });

const events = (frames: readonly StreamFrame[]): StreamEvent[] =>
  frames.filter((frame): frame is StreamEvent => 'offset' in frame && frame.type !== 'ready');
const readyOf = (frames: readonly StreamFrame[]): ReadyFrame | undefined =>
  frames.find((frame): frame is ReadyFrame => frame.type === 'ready');
const hasReady = (frames: readonly StreamFrame[]): boolean => readyOf(frames) !== undefined;
const offsetsOf = (frames: readonly StreamFrame[]): number[] => events(frames).map((event) => event.offset);

export const describeEventStreamsContract = (target: EventStreamsTarget): void => {
  describe(`event streams contract: ${target.name}`, () => {
    const history: HistoryLimits = { maxEvents: 1_000, maxAgeMs: 24 * HOUR, maxBytes: 4 * 1024 * 1024 };
    let clock: ManualClock;
    let streams: EventStreams;
    const opened: EventStreams[] = [];

    const open = async (limits: HistoryLimits = history): Promise<EventStreams> => {
      const started = await target.open({ history: limits, clock });
      opened.push(started);
      return started;
    };
    const listen = async (userId: string, since?: { epoch: string; offset: number }, on: EventStreams = streams) => {
      const collector = new Collector<StreamFrame>();
      const subscription = await on.subscribe(userId, collector.push, { since: since ?? null });
      return { collector, subscription };
    };

    beforeEach(async () => {
      clock = new ManualClock(at(0));
      streams = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((each) => each.close()));
    });

    it('when a user subscribes to a stream that never had an event, it gets ready at offset 0, not recovered', async () => {
      const { collector } = await listen(ALICE);
      expect(collector.items).toEqual([{ type: 'ready', epoch: expect.any(String), offset: 0, recovered: false }]);
    });

    it('when events are published, each gets the next offset of its user and reaches the subscriber in order, in the wire shape', async () => {
      const { collector } = await listen(ALICE);
      const epoch = readyOf(collector.items)?.epoch;
      await streams.publish({ type: 'session.created', userId: ALICE, session: session() });
      await streams.publish(sent(1));
      await streams.publish({ type: 'message.deleted', userId: ALICE, sessionId: SESSION_ID, messageId: 1 });
      await streams.publish({ type: 'messages.cleared', userId: ALICE, sessionId: SESSION_ID, deletedCount: 0 });
      await streams.publish({ type: 'session.deleted', userId: ALICE, sessionId: SESSION_ID });
      const frames = await collector.atLeast(6);
      expect(frames.slice(1)).toEqual([
        {
          type: 'session.created',
          epoch,
          offset: 1,
          session: {
            id: SESSION_ID,
            title: 'Chat',
            message_count: 0,
            last_message_at: null,
            created_at: '2026-01-01T00:00:00.000Z',
            updated_at: '2026-01-01T00:00:00.000Z',
          },
        },
        {
          type: 'message.created',
          epoch,
          offset: 2,
          session_id: SESSION_ID,
          message: {
            id: 1,
            session_id: SESSION_ID,
            parent_id: null,
            client_id: null,
            text: 'Message 1',
            sender: 'user',
            status: 'complete',
            metadata: null,
            edited_at: null,
            created_at: '2026-01-01T00:00:00.001Z',
            updated_at: '2026-01-01T00:00:00.001Z',
          },
        },
        { type: 'message.deleted', epoch, offset: 3, session_id: SESSION_ID, message_id: 1 },
        { type: 'messages.cleared', epoch, offset: 4, session_id: SESSION_ID, deleted_count: 0 },
        { type: 'session.deleted', epoch, offset: 5, session_id: SESSION_ID },
      ]);
      expect(Object.keys(frames[1] ?? {}).slice(0, 3)).toEqual(['type', 'epoch', 'offset']);
    });

    it('when a user has two subscribers, each gets every event once; another user gets none of them', async () => {
      const first = await listen(ALICE);
      const second = await listen(ALICE);
      const bob = await listen(BOB);
      for (let id = 1; id <= 5; id += 1) await streams.publish(sent(id));
      await first.collector.atLeast(6);
      await second.collector.atLeast(6);
      await streams.publish(sent(100, BOB));
      await bob.collector.atLeast(2);
      expect(offsetsOf(await first.collector.settle())).toEqual([1, 2, 3, 4, 5]);
      expect(offsetsOf(second.collector.items)).toEqual([1, 2, 3, 4, 5]);
      expect(events(bob.collector.items).map((event) => (event['message'] as { id: number }).id)).toEqual([100]);
      expect(offsetsOf(bob.collector.items)).toEqual([1]);
    });

    it('when a subscription is closed, it receives nothing more', async () => {
      const { collector, subscription } = await listen(ALICE);
      await streams.publish(sent(1));
      await collector.atLeast(2);
      subscription.close();
      subscription.close();
      await streams.publish(sent(2));
      const watcher = await listen(ALICE);
      await streams.publish(sent(3));
      await watcher.collector.atLeast(2);
      expect(offsetsOf(collector.items)).toEqual([1]);
    });

    it('when a subscriber comes back with its position after 10 events, it gets exactly those 10 in order, then ready, recovered', async () => {
      const first = await listen(ALICE);
      await streams.publish(sent(1));
      const [, seen] = await first.collector.atLeast(2);
      first.subscription.close();
      const position = { epoch: (seen as StreamEvent).epoch, offset: (seen as StreamEvent).offset };
      for (let id = 2; id <= 11; id += 1) await streams.publish(sent(id));

      const { collector } = await listen(ALICE, position);
      const frames = await collector.until(hasReady);
      expect(offsetsOf(frames)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(events(frames).map((event) => (event['message'] as { id: number }).id)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(frames.at(-1)).toEqual({ type: 'ready', epoch: position.epoch, offset: 11, recovered: true });
      await streams.publish(sent(12));
      expect(offsetsOf(await collector.atLeast(12))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    });

    it('when the position is the latest one, nothing is replayed and the subscriber is recovered', async () => {
      await streams.publish(sent(1));
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      const { collector } = await listen(ALICE, { epoch, offset: 1 });
      expect(collector.items).toEqual([{ type: 'ready', epoch, offset: 1, recovered: true }]);
    });

    it('when the position names another epoch, nothing is replayed and it is not recovered', async () => {
      await streams.publish(sent(1));
      await streams.publish(sent(2));
      const { collector } = await listen(ALICE, { epoch: 'another-epoch', offset: 1 });
      expect(collector.items).toEqual([{ type: 'ready', epoch: expect.not.stringMatching(/^another-epoch$/), offset: 2, recovered: false }]);
    });

    it('when the position is ahead of the stream, it is not recovered', async () => {
      await streams.publish(sent(1));
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      const { collector } = await listen(ALICE, { epoch, offset: 5 });
      expect(collector.items).toEqual([{ type: 'ready', epoch, offset: 1, recovered: false }]);
    });

    it('when more events came than the history holds, an older position is not recovered and a recent one is', async () => {
      streams = await open({ ...history, maxEvents: 5 });
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      for (let id = 1; id <= 8; id += 1) await streams.publish(sent(id));

      const old = await listen(ALICE, { epoch, offset: 2 });
      expect(old.collector.items).toEqual([{ type: 'ready', epoch, offset: 8, recovered: false }]);
      const recent = await listen(ALICE, { epoch, offset: 3 });
      expect(offsetsOf(recent.collector.items)).toEqual([4, 5, 6, 7, 8]);
      expect(readyOf(recent.collector.items)).toEqual({ type: 'ready', epoch, offset: 8, recovered: true });
    });

    it('when the missed events hold more bytes than the history keeps, an older position is not recovered; the newest event always stays', async () => {
      // Each event's payload is a little over 1 KiB: three fit in 4 KiB, four do not.
      streams = await open({ ...history, maxBytes: 4 * 1024 });
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      const big = (id: number): DomainEvent => ({ type: 'message.created', userId: ALICE, sessionId: SESSION_ID, message: message(id, 'x'.repeat(1_000)) });
      for (let id = 1; id <= 5; id += 1) await streams.publish(big(id));

      const old = await listen(ALICE, { epoch, offset: 1 });
      expect(old.collector.items).toEqual([{ type: 'ready', epoch, offset: 5, recovered: false }]);
      const recent = await listen(ALICE, { epoch, offset: 2 });
      expect(offsetsOf(recent.collector.items)).toEqual([3, 4, 5]);

      await streams.publish({ type: 'message.created', userId: ALICE, sessionId: SESSION_ID, message: message(6, 'y'.repeat(10_000)) });
      const latest = await listen(ALICE, { epoch, offset: 5 });
      expect(offsetsOf(latest.collector.items)).toEqual([6]);
      expect(readyOf(latest.collector.items)?.recovered).toBe(true);
      const before = await listen(ALICE, { epoch, offset: 4 });
      expect(readyOf(before.collector.items)?.recovered).toBe(false);
    });

    it('when the missed events are older than the history keeps, the position is not recovered', async () => {
      streams = await open({ ...history, maxAgeMs: HOUR });
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      await streams.publish(sent(1));
      clock.advance(HOUR + 1);
      await streams.publish(sent(2));

      const { collector } = await listen(ALICE, { epoch, offset: 0 });
      expect(collector.items).toEqual([{ type: 'ready', epoch, offset: 2, recovered: false }]);
      const fresh = await listen(ALICE, { epoch, offset: 1 });
      expect(offsetsOf(fresh.collector.items)).toEqual([2]);
      expect(readyOf(fresh.collector.items)?.recovered).toBe(true);
    });

    it('when events are published while subscribers resume, each subscriber gets every event once, in offset order', async () => {
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      for (let id = 1; id <= 20; id += 1) await streams.publish(sent(id));
      const publishing = Promise.all(Array.from({ length: 40 }, (_, index) => streams.publish(sent(21 + index))));
      const positions = [0, 5, 10, 15, 20];
      const resumed = await Promise.all(positions.map((offset) => listen(ALICE, { epoch, offset })));
      await publishing;
      for (const [index, { collector }] of resumed.entries()) {
        const frames = await collector.until((items) => offsetsOf(items).at(-1) === 60);
        const from = (positions[index] ?? 0) + 1;
        expect(offsetsOf(frames)).toEqual(Array.from({ length: 61 - from }, (_, offset) => from + offset));
        expect(readyOf(frames)?.recovered).toBe(true);
      }
    });

    const delta = (text: string, userId = ALICE): DomainEvent => ({ type: 'message.delta', userId, sessionId: SESSION_ID, messageId: 7, text });

    it('when text is appended, each live subscriber of the user gets every delta in order among the events, with no position; another user gets none', async () => {
      const first = await listen(ALICE);
      const second = await listen(ALICE);
      const bob = await listen(BOB);
      const epoch = readyOf(first.collector.items)?.epoch;
      await streams.publish(sent(7));
      for (const text of ['Hel', 'lo', ' wor', 'ld']) await streams.publish(delta(text));
      await streams.publish({ type: 'message.updated', userId: ALICE, sessionId: SESSION_ID, message: message(7, 'Hello world') });

      for (const { collector } of [first, second]) {
        const frames = (await collector.atLeast(7)).slice(1);
        expect(frames.map((frame) => [frame.type, 'offset' in frame ? frame.offset : null])).toEqual([
          ['message.created', 1],
          ['message.delta', null],
          ['message.delta', null],
          ['message.delta', null],
          ['message.delta', null],
          ['message.updated', 2],
        ]);
        expect(frames[1]).toEqual({ type: 'message.delta', session_id: SESSION_ID, message_id: 7, text: 'Hel' });
        expect(frames.slice(1, 5).map((frame) => frame['text' as keyof typeof frame]).join('')).toBe('Hello world');
        expect(frames[5]).toMatchObject({ epoch, offset: 2 });
      }
      expect(await bob.collector.settle()).toHaveLength(1);
    });

    it('when a subscriber resumes from before a stream of deltas, it gets the events again but none of the deltas', async () => {
      const { collector: first } = await listen(ALICE);
      const epoch = readyOf(first.items)?.epoch ?? '';
      await streams.publish(sent(7));
      await streams.publish(delta('Hello'));
      await streams.publish(delta(' world'));
      await first.atLeast(4);

      const { collector } = await listen(ALICE, { epoch, offset: 0 });
      expect(collector.items).toEqual([
        expect.objectContaining({ type: 'message.created', epoch, offset: 1 }),
        { type: 'ready', epoch, offset: 1, recovered: true },
      ]);
      await streams.publish(delta('!'));
      expect((await collector.atLeast(3))[2]).toEqual({ type: 'message.delta', session_id: SESSION_ID, message_id: 7, text: '!' });
      await streams.publish(sent(8));
      expect(offsetsOf(await collector.atLeast(4))).toEqual([1, 2]);
      expect(collector.items.filter((frame) => frame.type === 'resync')).toEqual([]);
    });

    it('when logins end, listeners are told with their ids, and no stream offset is used for it', async () => {
      const ended = new Collector<{ userId: string; loginIds: readonly string[] }>();
      streams.onLoginsEnded((userId, loginIds) => ended.push({ userId, loginIds }));
      const { collector } = await listen(ALICE);
      await streams.publish({ type: 'logins.ended', userId: ALICE, loginIds: ['login-1', 'login-2'] });
      await streams.publish(sent(1));
      expect(await ended.atLeast(1)).toEqual([{ userId: ALICE, loginIds: ['login-1', 'login-2'] }]);
      expect(offsetsOf(await collector.atLeast(2))).toEqual([1]);
      expect(events(collector.items).map((event) => event.type)).toEqual(['message.created']);
      expect(await ended.settle()).toHaveLength(1);
    });

    it('when a listener throws, the other listeners still get the event', async () => {
      await streams.subscribe(ALICE, () => {
        throw new Error('broken listener');
      });
      const { collector } = await listen(ALICE);
      await expect(streams.publish(sent(1))).resolves.toBeUndefined();
      expect(offsetsOf(await collector.atLeast(2))).toEqual([1]);
    });
  });
};
