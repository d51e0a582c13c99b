/**
 * A client that drops off and comes back with its last position catches up on exactly what it
 * missed, over the WebSocket (`since`) and over Server-Sent Events (`Last-Event-ID`), or is told
 * plainly that it cannot (`recovered: false`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UseCasesToken } from '../../src/container.js';
import type { RegisteredUser } from '../support/api-client.js';
import { openEventStream, TestSocket, type Frame, type TestEventStream } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from './realtime-fixtures.js';

const HISTORY_SIZE = 20;

describe('resuming a stream (memory)', () => {
  let realtime: RealtimeServer;
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    realtime = await startRealtimeServer({ env: { EVENT_HISTORY_SIZE: String(HISTORY_SIZE) } });
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
  });

  const connect = async (user: RegisteredUser, since?: { epoch: string; offset: number }): Promise<TestSocket> => {
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken, since);
    opened.push(socket);
    return socket;
  };
  const stream = async (user: RegisteredUser, lastEventId?: string): Promise<TestEventStream> => {
    const opening = await openEventStream(`${realtime.server.baseUrl}/events`, user.accessToken, lastEventId ? { 'Last-Event-ID': lastEventId } : {});
    opened.push(opening);
    return opening;
  };
  const texts = (events: readonly Frame[]): string[] => events.map((event) => event.message?.text);
  /** A user with a session, seen through one socket up to its latest event, then disconnected. */
  const leftAfterOneMessage = async () => {
    const user = await realtime.user();
    const sessionId = await realtime.session(user);
    const socket = await connect(user);
    await realtime.send(user, sessionId, 'Before');
    const [last] = await socket.eventsUntil(1);
    socket.close();
    await socket.closedWithin();
    return { user, sessionId, position: { epoch: last.epoch as string, offset: last.offset as number } };
  };
  const sendTen = async (user: RegisteredUser, sessionId: number): Promise<string[]> => {
    const sent: string[] = [];
    for (let index = 1; index <= 10; index += 1) sent.push((await realtime.send(user, sessionId, `Missed ${index}`)).text);
    return sent;
  };

  it('when a socket reconnects with since after 10 changes, it gets exactly those 10, in order, then ready recovered, then live events', async () => {
    const { user, sessionId, position } = await leftAfterOneMessage();
    const sent = await sendTen(user, sessionId);

    const socket = await connect(user, position);
    const frames = socket.frames.items;
    expect(frames).toHaveLength(11);
    expect(frames.slice(0, 10).map((frame) => frame.offset)).toEqual(Array.from({ length: 10 }, (_, index) => position.offset + 1 + index));
    expect(texts(frames.slice(0, 10))).toEqual(sent);
    expect(frames[10]).toEqual({ type: 'ready', epoch: position.epoch, offset: position.offset + 10, recovered: true });

    await realtime.send(user, sessionId, 'Live');
    const events = await socket.eventsUntil(11);
    expect(events[10]).toMatchObject({ type: 'message.created', offset: position.offset + 11, message: { text: 'Live' } });
  });

  it('when the position is older than the history holds, nothing is replayed and ready says recovered: false', async () => {
    const { user, sessionId, position } = await leftAfterOneMessage();
    for (let index = 0; index < HISTORY_SIZE + 1; index += 1) await realtime.send(user, sessionId, `Flood ${index}`);

    const socket = await connect(user, position);
    expect(socket.frames.items).toEqual([{ type: 'ready', epoch: position.epoch, offset: position.offset + HISTORY_SIZE + 1, recovered: false }]);
  });

  it('when the position is of another epoch, nothing is replayed and ready says recovered: false', async () => {
    const { user, sessionId, position } = await leftAfterOneMessage();
    await sendTen(user, sessionId);

    const socket = await connect(user, { epoch: 'an-older-epoch', offset: position.offset });
    expect(socket.frames.items).toEqual([{ type: 'ready', epoch: position.epoch, offset: position.offset + 10, recovered: false }]);
  });

  it('when an event stream reconnects with Last-Event-ID after 10 changes, it gets exactly those 10 as events with ids, then ready', async () => {
    const { user, sessionId, position } = await leftAfterOneMessage();
    const sent = await sendTen(user, sessionId);

    const events = await stream(user, `${position.epoch}:${position.offset}`);
    const received = await events.events.until((items) => items.some((item) => item.event === 'ready'));
    expect(received.map((item) => item.event)).toEqual([...Array(10).fill('message.created'), 'ready']);
    expect(received.map((item) => item.id)).toEqual(
      [...Array.from({ length: 10 }, (_, index) => position.offset + 1 + index), position.offset + 10].map((offset) => `${position.epoch}:${offset}`),
    );
    expect(texts(received.slice(0, 10).map((item) => item.data))).toEqual(sent);
    expect(received[10]?.data).toEqual({ type: 'ready', epoch: position.epoch, offset: position.offset + 10, recovered: true });
  });

  it('when an event stream reconnects with a Last-Event-ID older than the history, it opens with ready, recovered: false', async () => {
    const { user, sessionId, position } = await leftAfterOneMessage();
    for (let index = 0; index < HISTORY_SIZE + 1; index += 1) await realtime.send(user, sessionId, `Flood ${index}`);

    const events = await stream(user, `${position.epoch}:${position.offset}`);
    const [first] = await events.events.atLeast(1);
    expect(first).toEqual({
      id: `${position.epoch}:${position.offset + HISTORY_SIZE + 1}`,
      event: 'ready',
      data: { type: 'ready', epoch: position.epoch, offset: position.offset + HISTORY_SIZE + 1, recovered: false },
    });
  });

  it('when Last-Event-ID is not a position, the answer is 400 naming it', async () => {
    const user = await realtime.user();
    const events = await stream(user, 'garbage');
    expect(events.status).toBe(400);
    expect(events.body).toEqual({
      error: 'Validation failed',
      code: 'validation_failed',
      details: ['Last-Event-ID: must be <epoch>:<offset>, as an event id of this stream'],
    });
  });
});

describe('resuming after missing more than a send buffer holds (memory)', () => {
  let realtime: RealtimeServer;
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    realtime = await startRealtimeServer({ env: { EVENT_HISTORY_MAX_BYTES: '32mb' } });
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
  });

  // 1,000 events of about 20 KB (5,000 four-byte characters): 20 MB to replay in one go, far more
  // than the 1 MiB a live client may leave unread plus what loopback's socket buffers take.
  const missTwentyMegabytes = async () => {
    const user = await realtime.user();
    const sessionId = await realtime.session(user);
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken);
    const ready = await socket.ready();
    socket.close();
    await socket.closedWithin();
    const useCases = realtime.server.container.get(UseCasesToken);
    for (let index = 0; index < 1_000; index += 1) {
      await useCases.sendMessage.execute({ userId: user.id, sessionId, text: '😀'.repeat(5_000) });
    }
    return { user, position: { epoch: ready.epoch as string, offset: ready.offset as number } };
  };

  it('a WebSocket gets the whole replay, then ready, recovered', async () => {
    const { user, position } = await missTwentyMegabytes();
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken, position);
    opened.push(socket);
    const ready = await socket.ready(15_000);
    expect(socket.events()).toHaveLength(1_000);
    expect(ready).toEqual({ type: 'ready', epoch: position.epoch, offset: position.offset + 1_000, recovered: true });
  }, 30_000);

  it('an event stream gets the whole replay, then ready, recovered', async () => {
    const { user, position } = await missTwentyMegabytes();
    const events = await openEventStream(`${realtime.server.baseUrl}/events`, user.accessToken, {
      'Last-Event-ID': `${position.epoch}:${position.offset}`,
    });
    opened.push(events);
    const received = await events.events.until((items) => items.some((item) => item.event === 'ready'), 15_000);
    expect(received.filter((item) => item.event === 'message.created')).toHaveLength(1_000);
    expect(received.at(-1)?.data).toEqual({ type: 'ready', epoch: position.epoch, offset: position.offset + 1_000, recovered: true });
  }, 30_000);
});
