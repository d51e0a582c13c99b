/**
 * A message as long as `MESSAGE_MAX_CHARS` allows can be larger than what may wait for a client
 * (1 MiB) all by itself: a client that reads gets it whole, over the WebSocket and `/events`; the
 * limit is for a backlog, not for one frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream, TestSocket, type TestEventStream } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from './realtime-fixtures.js';

/** 600,000 four-byte characters: 2.4 MB of JSON in one event, and 1.2 million UTF-16 units, past 1 MiB however counted. */
const LENGTH = 600_000;

describe('one event larger than the send buffer limit (memory)', () => {
  let realtime: RealtimeServer;
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    realtime = await startRealtimeServer({ env: { MESSAGE_MAX_CHARS: String(LENGTH), BODY_LIMIT: '4mb' } });
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
  });

  it('when a message of 2.4 MB is sent, a reading WebSocket and event stream of its owner each get it whole and stay open', async () => {
    const alice = await realtime.user();
    const sessionId = await realtime.session(alice);
    const socket = await TestSocket.connect(realtime.server.wsUrl, alice.accessToken);
    opened.push(socket);
    await socket.ready();
    const events = await openEventStream(`${realtime.server.baseUrl}/events`, alice.accessToken);
    opened.push(events);
    await events.events.atLeast(1);
    const text = '\u{1F916}'.repeat(LENGTH);

    const sent = await realtime.api.post(`/chat/sessions/${sessionId}/messages`, { text }, alice.accessToken);
    expect(sent.status).toBe(201);

    const [created] = await socket.eventsUntil(1, 15_000);
    expect(created.message.text).toBe(text);
    const streamed = await events.events.until((items) => items.some((item) => item.event === 'message.created'), 15_000);
    expect(streamed.find((item) => item.event === 'message.created')?.data.message.text).toBe(text);
    // Still open: the next event reaches both.
    await realtime.api.put(`/chat/sessions/${sessionId}`, { title: 'after' }, alice.accessToken);
    expect((await socket.eventsUntil(2)).at(-1)).toMatchObject({ type: 'session.updated' });
    await events.events.until((items) => items.some((item) => item.event === 'session.updated'));
  });
});
