/**
 * `GET /events` over a real socket: the same stream as the WebSocket, as `text/event-stream`,
 * behind the access token, with keep-alive comments and the shared connection cap.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeConnectionsToken, UseCasesToken } from '../../src/container.js';
import { openEventStream, TestSocket, type TestEventStream } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from './realtime-fixtures.js';

describe('Server-Sent Events at /events (memory)', () => {
  let realtime: RealtimeServer;
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    realtime = await startRealtimeServer({ env: { SSE_KEEPALIVE_INTERVAL: '1', REALTIME_MAX_CONNECTIONS_PER_USER: '3' } });
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
  });

  const stream = async (token: string): Promise<TestEventStream> => {
    const events = await openEventStream(`${realtime.server.baseUrl}/events`, token);
    opened.push(events);
    return events;
  };

  it("streams ready, then each of the user's events with its id and type, and nothing of another user's", async () => {
    const alice = await realtime.user();
    const bob = await realtime.user();
    const events = await stream(alice.accessToken);
    const onBob = await stream(bob.accessToken);
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(events.headers.get('cache-control')).toBe('no-store');
    expect(events.headers.get('x-content-type-options')).toBe('nosniff');

    const [ready] = await events.events.atLeast(1);
    const epoch = ready?.data.epoch as string;
    expect(ready).toEqual({ id: `${epoch}:0`, event: 'ready', data: { type: 'ready', epoch, offset: 0, recovered: false } });
    const sessionId = await realtime.session(alice, 'Streamed');
    const message = await realtime.send(alice, sessionId, 'Hello over SSE');

    const [, created, sent] = await events.events.atLeast(3);
    expect(created).toMatchObject({ id: `${epoch}:1`, event: 'session.created', data: { type: 'session.created', epoch, offset: 1 } });
    expect(sent).toEqual({
      id: `${epoch}:2`,
      event: 'message.created',
      data: expect.objectContaining({ type: 'message.created', epoch, offset: 2, session_id: sessionId, message: expect.objectContaining({ id: message.id, text: 'Hello over SSE' }) }),
    });
    expect((await onBob.events.settle()).map((event) => event.event)).toEqual(['ready']);
  });

  it('sends a keep-alive comment while nothing happens', async () => {
    const events = await stream((await realtime.user()).accessToken);
    await events.events.atLeast(1);
    const [comment] = await events.comments.atLeast(1, 3_000);
    expect(comment).toBe(': keep-alive');
  });

  it.each([
    ['no token', undefined, { error: 'Missing access token', code: 'missing_token' }],
    ['a refresh token', 'refresh', { error: 'Invalid or expired token', code: 'invalid_token' }],
  ])('refuses %s with 401 in the error shape', async (_case, which, body) => {
    const user = await realtime.user();
    const response = await fetch(`${realtime.server.baseUrl}/events`, {
      headers: which === 'refresh' ? { Authorization: `Bearer ${user.refreshToken}` } : {},
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(body);
  });

  it('counts event streams and WebSockets of one user against one cap: over it, 429 with Retry-After', async () => {
    const user = await realtime.user();
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken);
    opened.push(socket);
    await stream(user.accessToken);
    await stream(user.accessToken);
    const over = await stream(user.accessToken);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('5');
    expect(over.body).toEqual({ error: 'Too many connections for this user', code: 'rate_limited' });
  });

  it('when a client does not read, its stream is cut off and what waits for it does not grow without bound', async () => {
    const user = await realtime.user();
    const sessionId = await realtime.session(user);
    const connections = realtime.server.container.get(RealtimeConnectionsToken);
    const useCases = realtime.server.container.get(UseCasesToken);
    const before = connections.size;
    const { origin } = new URL(realtime.server.baseUrl);
    let answered: (status: number) => void = () => undefined;
    const status = new Promise<number>((resolve) => (answered = resolve));
    const cut = new Promise<void>((resolve, reject) => {
      const client = request(`${origin}/events`, { headers: { Authorization: `Bearer ${user.accessToken}` } }, (response) => {
        answered(response.statusCode ?? 0);
        response.pause();
        response.on('close', resolve);
        response.on('error', () => resolve());
      });
      client.on('error', () => resolve());
      client.end();
      setTimeout(() => reject(new Error('the stream was not cut off')), 20_000).unref();
    });
    expect(await status).toBe(200);
    expect(connections.size).toBe(before + 1);

    const text = '😀'.repeat(5_000);
    for (let sent = 0; sent < 3_000 && connections.size > before; sent += 1) {
      await useCases.sendMessage.execute({ userId: user.id, sessionId, text });
    }
    expect(connections.size).toBe(before);
    await cut;
  }, 30_000);
});
