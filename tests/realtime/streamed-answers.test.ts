/**
 * An assistant's answer streamed over HTTP, watched over a real socket: every append reaches the
 * owner's WebSockets and event streams at once as a `message.delta`, in the order the appends
 * were answered, between the `message.created` that starts the answer and the `message.updated`
 * that ends it; another user sees none of it, and a reconnect gets no delta again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredUser } from '../support/api-client.js';
import { type Frame, openEventStream, TestSocket, type TestEventStream } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from './realtime-fixtures.js';

const APPENDS = 200;

describe('streamed answers over /ws and /events (memory)', () => {
  let realtime: RealtimeServer;
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    realtime = await startRealtimeServer();
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
  });

  const connect = async (user: RegisteredUser, since?: { epoch: string; offset: number }): Promise<TestSocket> => {
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken, since);
    opened.push(socket);
    await socket.ready();
    return socket;
  };
  const startAnswer = async (user: RegisteredUser, sessionId: number): Promise<number> => {
    const created = await realtime.api.post(`/chat/sessions/${sessionId}/messages`, { text: '', sender: 'assistant', status: 'streaming' }, user.accessToken);
    expect(created.status).toBe(201);
    return created.body.message.id as number;
  };
  const append = async (user: RegisteredUser, sessionId: number, messageId: number, text: string): Promise<void> => {
    const appended = await realtime.api.post(`/chat/sessions/${sessionId}/messages/${messageId}/append`, { text }, user.accessToken);
    expect(appended.status).toBe(200);
  };
  const complete = async (user: RegisteredUser, sessionId: number, messageId: number): Promise<Frame> => {
    const completed = await realtime.api.post(`/chat/sessions/${sessionId}/messages/${messageId}/complete`, {}, user.accessToken);
    expect(completed.status).toBe(200);
    return completed.body.message;
  };
  const piece = (index: number): string => `token-${index} `;

  it(`when ${APPENDS} appends are answered one after another, each socket of the owner receives every delta in order, then the final message.updated`, async () => {
    const alice = await realtime.user();
    const bob = await realtime.user();
    const sessionId = await realtime.session(alice, 'Streamed');
    const watchers = [await connect(alice), await connect(alice)];
    const onBob = await connect(bob);

    const messageId = await startAnswer(alice, sessionId);
    for (let index = 0; index < APPENDS; index += 1) await append(alice, sessionId, messageId, piece(index));
    const stored = await complete(alice, sessionId, messageId);

    const expectedText = Array.from({ length: APPENDS }, (_, index) => piece(index)).join('');
    expect(stored.text).toBe(expectedText);
    for (const socket of watchers) {
      const frames = await socket.frames.until((items) => items.some((frame) => frame.type === 'message.updated'), 10_000, 'the final message.updated');
      const answer = frames.filter((frame) => frame.message?.id === messageId || frame.message_id === messageId);
      expect(answer.map((frame) => frame.type)).toEqual(['message.created', ...Array<string>(APPENDS).fill('message.delta'), 'message.updated']);
      const deltas = answer.slice(1, -1);
      expect(deltas.map((frame) => frame.text)).toEqual(Array.from({ length: APPENDS }, (_, index) => piece(index)));
      for (const delta of deltas) expect(delta).toEqual({ type: 'message.delta', session_id: sessionId, message_id: messageId, text: expect.any(String) });
      expect(answer.at(-1)).toMatchObject({ type: 'message.updated', message: { id: messageId, status: 'complete', text: expectedText } });
      // The deltas took no offsets: the two events around them are consecutive.
      expect(answer.at(-1).offset).toBe(answer[0].offset + 1);
    }
    expect((await onBob.frames.settle()).map((frame) => frame.type)).toEqual(['ready']);
  });

  it('when a watcher reconnects from before the answer, it gets the events again but no delta, and reads the text so far', async () => {
    const alice = await realtime.user();
    const sessionId = await realtime.session(alice);
    const first = await connect(alice);
    const before = await first.ready();
    const messageId = await startAnswer(alice, sessionId);
    await append(alice, sessionId, messageId, 'Hello');
    await append(alice, sessionId, messageId, ' world');
    await first.frames.until((items) => items.filter((frame) => frame.type === 'message.delta').length === 2);

    const again = await connect(alice, { epoch: before.epoch, offset: before.offset });
    expect(again.frames.items.map((frame) => frame.type)).toEqual(['message.created', 'ready']);
    expect((await again.frames.settle()).at(-1)).toMatchObject({ type: 'ready', recovered: true });
    const read = await realtime.api.get(`/chat/sessions/${sessionId}/messages?before_id=`, alice.accessToken);
    expect(read.body.messages.at(-1)).toMatchObject({ id: messageId, text: 'Hello world', status: 'streaming' });
  });

  it('streams each delta on /events as event: message.delta with no id, so a reconnect never resumes from one', async () => {
    const alice = await realtime.user();
    const sessionId = await realtime.session(alice);
    const events = await openEventStream(`${realtime.server.baseUrl}/events`, alice.accessToken);
    opened.push(events);
    const [ready] = await events.events.atLeast(1);
    const messageId = await startAnswer(alice, sessionId);
    await append(alice, sessionId, messageId, 'Streamed ');
    await append(alice, sessionId, messageId, 'over SSE');
    await complete(alice, sessionId, messageId);

    const received = (await events.events.until((items) => items.some((event) => event.event === 'message.updated'))).slice(1);
    const epoch = ready?.data.epoch as string;
    expect(received.map(({ id, event }) => [id, event])).toEqual([
      [`${epoch}:2`, 'message.created'],
      [null, 'message.delta'],
      [null, 'message.delta'],
      [`${epoch}:3`, 'message.updated'],
    ]);
    expect(received[1]?.data).toEqual({ type: 'message.delta', session_id: sessionId, message_id: messageId, text: 'Streamed ' });
    expect(received[2]?.data.text).toBe('over SSE');
  });
});
