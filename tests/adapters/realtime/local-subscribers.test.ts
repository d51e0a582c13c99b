/**
 * What a subscriber receives when frames arrive while its replay is being read (the Redis
 * adapter reads the history over the network, so this happens): held events and deltas come out
 * in the order they were published, each delta before the event that followed it, whether that
 * event is replayed or live, and none twice.
 */
import { describe, expect, it } from 'vitest';
import { LocalSubscribers } from '../../../src/adapters/realtime/local-subscribers.js';
import type { DeltaFrame, StreamEvent, StreamFrame } from '../../../src/adapters/realtime/stream-frame.js';

const USER = 'user-1';
const EPOCH = 'epoch-1';
const event = (offset: number): StreamEvent => ({ type: 'message.updated', epoch: EPOCH, offset, session_id: 1 });
const delta = (text: string): DeltaFrame => ({ type: 'message.delta', session_id: 1, message_id: 7, text });
const names = (frames: readonly StreamFrame[]): string[] =>
  frames.map((frame) => (frame.type === 'message.delta' ? `delta:${frame.text}` : 'offset' in frame ? `${frame.type}:${frame.offset}` : frame.type));

const subscribed = () => {
  const subscribers = new LocalSubscribers();
  const frames: StreamFrame[] = [];
  const subscriber = subscribers.add(USER, (frame) => frames.push(frame));
  return { subscribers, frames, subscriber };
};

describe('LocalSubscribers: frames that arrive while the replay is read', () => {
  it('when a delta and then the event after it arrive, and the replay already holds that event, the delta comes just before it in the replay', () => {
    const { subscribers, frames, subscriber } = subscribed();
    subscribers.deliverDelta(USER, delta('a'));
    subscribers.deliver(USER, event(5));

    subscribers.start(subscriber, [event(4), event(5)], { epoch: EPOCH, offset: 5 }, true);

    expect(names(frames)).toEqual(['message.updated:4', 'delta:a', 'message.updated:5', 'ready:5']);
  });

  it('when the event after a delta is newer than the replay, both follow ready in their order', () => {
    const { subscribers, frames, subscriber } = subscribed();
    subscribers.deliverDelta(USER, delta('a'));
    subscribers.deliver(USER, event(6));
    subscribers.deliverDelta(USER, delta('b'));

    subscribers.start(subscriber, [event(5)], { epoch: EPOCH, offset: 5 }, true);

    expect(names(frames)).toEqual(['message.updated:5', 'ready:5', 'delta:a', 'message.updated:6', 'delta:b']);
  });

  it('when nothing is replayed (no position), a delta older than ready is dropped: the reload after ready holds it', () => {
    const { subscribers, frames, subscriber } = subscribed();
    subscribers.deliverDelta(USER, delta('a'));
    subscribers.deliver(USER, event(5));
    subscribers.deliverDelta(USER, delta('b'));

    subscribers.start(subscriber, [], { epoch: EPOCH, offset: 5 }, false);

    expect(names(frames)).toEqual(['ready:5', 'delta:b']);
  });

  it('once live, deltas and events go out as they come', () => {
    const { subscribers, frames, subscriber } = subscribed();
    subscribers.start(subscriber, [], { epoch: EPOCH, offset: 0 }, false);
    subscribers.deliver(USER, event(1));
    subscribers.deliverDelta(USER, delta('a'));
    subscribers.deliverDelta('someone-else', delta('x'));
    subscribers.deliver(USER, event(2));

    expect(names(frames)).toEqual(['ready:0', 'message.updated:1', 'delta:a', 'message.updated:2']);
  });
});
