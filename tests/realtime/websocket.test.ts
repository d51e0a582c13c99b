/**
 * The WebSocket gateway over a real socket, against the server as the container composes it:
 * what a user's connections receive, the first-frame authentication, and every limit of API.md.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeConnectionsToken, UseCasesToken, WebSocketGatewayToken } from '../../src/container.js';
import type { RegisteredUser } from '../support/api-client.js';
import { isoTimestamp } from '../support/http-expectations.js';
import { TestSocket } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from './realtime-fixtures.js';

describe('the WebSocket at /ws (memory)', () => {
  let realtime: RealtimeServer;
  const sockets: TestSocket[] = [];
  const connect = async (user: RegisteredUser, since?: { epoch: string; offset: number }): Promise<TestSocket> => {
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken, since);
    sockets.push(socket);
    return socket;
  };
  const open = async (): Promise<TestSocket> => {
    const socket = await TestSocket.open(realtime.server.wsUrl);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    realtime = await startRealtimeServer({ env: { WS_PING_INTERVAL: '1', REALTIME_MAX_CONNECTIONS_PER_USER: '20' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await realtime?.server.close();
  });

  describe('events', () => {
    it("when a user changes their data, each of their two connections sees every event type once, with consecutive offsets, and another user's sees none", async () => {
      const alice = await realtime.user();
      const bob = await realtime.user();
      const [first, second] = [await connect(alice), await connect(alice)];
      const onBob = await connect(bob);
      const { api } = realtime;
      const ready = await first.ready();
      expect(ready).toEqual({ type: 'ready', epoch: expect.any(String), offset: 0, recovered: false });

      const sessionId = await realtime.session(alice, 'Plans');
      const message = await realtime.send(alice, sessionId, 'Hello!');
      expect((await api.put(`/chat/sessions/${sessionId}/messages/${message.id}`, { text: 'Hello, edited' }, alice.accessToken)).status).toBe(200);
      expect((await api.delete(`/chat/sessions/${sessionId}/messages/${message.id}`, undefined, alice.accessToken)).status).toBe(200);
      await realtime.send(alice, sessionId, 'Again');
      expect((await api.delete(`/chat/sessions/${sessionId}/messages`, undefined, alice.accessToken)).status).toBe(200);
      expect((await api.put(`/chat/sessions/${sessionId}`, { title: 'Renamed' }, alice.accessToken)).status).toBe(200);
      expect((await api.delete(`/chat/sessions/${sessionId}`, undefined, alice.accessToken)).status).toBe(200);

      const epoch = ready.epoch as string;
      const expected = [
        { type: 'session.created', session: expect.objectContaining({ id: sessionId, title: 'Plans', message_count: 0 }) },
        {
          type: 'message.created',
          session_id: sessionId,
          message: {
            id: message.id,
            session_id: sessionId,
            parent_id: null,
            client_id: null,
            text: 'Hello!',
            sender: 'user',
            status: 'complete',
            metadata: null,
            edited_at: null,
            created_at: isoTimestamp(),
            updated_at: isoTimestamp(),
          },
        },
        { type: 'message.updated', session_id: sessionId, message: expect.objectContaining({ id: message.id, text: 'Hello, edited' }) },
        { type: 'message.deleted', session_id: sessionId, message_id: message.id },
        { type: 'message.created', session_id: sessionId, message: expect.objectContaining({ text: 'Again' }) },
        { type: 'messages.cleared', session_id: sessionId, deleted_count: 1 },
        { type: 'session.updated', session: expect.objectContaining({ id: sessionId, title: 'Renamed' }) },
        { type: 'session.deleted', session_id: sessionId },
      ].map((event, index) => ({ ...event, epoch, offset: index + 1 }));
      for (const socket of [first, second]) {
        await socket.eventsUntil(expected.length);
        expect((await socket.frames.settle()).slice(1)).toEqual(expected);
      }
      expect(onBob.frames.items).toEqual([{ type: 'ready', epoch: expect.any(String), offset: 0, recovered: false }]);
    });

    it('when a client sends {"type":"ping"}, it gets {"type":"pong"}; any other frame gets an error frame and the socket stays open', async () => {
      const socket = await connect(await realtime.user());
      socket.send({ type: 'ping' });
      socket.send({ type: 'subscribe', channel: 'everything' });
      socket.send('not json');
      const frames = await socket.frames.atLeast(4);
      expect(frames.slice(1)).toEqual([
        { type: 'pong' },
        { type: 'error', error: 'Unknown frame: only {"type":"ping"} is accepted here', code: 'unknown_frame' },
        { type: 'error', error: 'Unknown frame: only {"type":"ping"} is accepted here', code: 'unknown_frame' },
      ]);
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    });
  });

  describe('authentication', () => {
    it('when no frame comes within 5 seconds, the server closes with 4401', async () => {
      const socket = await open();
      const started = Date.now();
      const closed = await socket.closedWithin(8_000);
      expect(closed.code).toBe(4401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      expect(socket.frames.items).toEqual([{ type: 'error', error: 'No auth frame in time', code: 'auth_timeout' }]);
    }, 15_000);

    it.each([
      ['not JSON', 'hello', ['frame: must be JSON']],
      ['not an auth frame', JSON.stringify({ type: 'ping' }), ['type: must be "auth"', 'token: is required']],
      ['a token that is not a string', JSON.stringify({ type: 'auth', token: 42 }), ['token: must be a string']],
      [
        'a malformed position',
        JSON.stringify({ type: 'auth', token: 'x', since: { epoch: 'k3x9', offset: -1 } }),
        ['since.offset: must be at least 0'],
      ],
    ])('when the first frame is %s, the server answers validation_failed and closes with 4401', async (_case, frame, details) => {
      const socket = await open();
      socket.send(frame);
      expect((await socket.closedWithin()).code).toBe(4401);
      expect(socket.frames.items).toEqual([{ type: 'error', error: 'Validation failed', code: 'validation_failed', details }]);
    });

    it.each([
      ['a forged token', () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
      ['a refresh token', (user: RegisteredUser) => user.refreshToken],
    ])('when the auth frame carries %s, the server closes with 4401', async (_case, tokenOf) => {
      const socket = await open();
      socket.send({ type: 'auth', token: tokenOf(await realtime.user()) });
      expect((await socket.closedWithin()).code).toBe(4401);
      expect(socket.frames.items).toEqual([{ type: 'error', error: 'Invalid or expired token', code: 'invalid_token' }]);
    });

    it('when the first frame is binary, the server closes with 4401', async () => {
      const socket = await open();
      socket.ws.send(Buffer.from([1, 2, 3]));
      expect((await socket.closedWithin()).code).toBe(4401);
    });
  });

  describe('limits', () => {
    it("when a user opens a 21st connection, it is closed with 1008 and the other 20 stay open", async () => {
      const user = await realtime.user();
      const twenty = await Promise.all(Array.from({ length: 20 }, () => connect(user)));
      const extra = await open();
      extra.send({ type: 'auth', token: user.accessToken });
      expect((await extra.closedWithin()).code).toBe(1008);
      expect(extra.frames.items).toEqual([{ type: 'error', error: 'Too many connections for this user', code: 'too_many_connections' }]);
      expect(twenty.every((socket) => socket.ws.readyState === WebSocket.OPEN)).toBe(true);

      twenty[0]?.close();
      await twenty[0]?.closedWithin();
      const replacement = await open();
      replacement.send({ type: 'auth', token: user.accessToken });
      expect((await replacement.ready()).type).toBe('ready');
    });

    it('when a client sends a frame over 4 KiB, the server closes with 1009', async () => {
      const socket = await connect(await realtime.user());
      socket.send({ type: 'ping', padding: 'x'.repeat(5 * 1024) });
      expect((await socket.closedWithin()).code).toBe(1009);
    });

    it('when a first frame is over 4 KiB, the server closes with 1009', async () => {
      const socket = await open();
      socket.send({ type: 'auth', token: 'x'.repeat(5 * 1024) });
      expect((await socket.closedWithin()).code).toBe(1009);
    });

    it('when a client does not read, it is cut off with 1013 and what waits for it stays within 1 MiB', async () => {
      const user = await realtime.user();
      const sessionId = await realtime.session(user);
      const socket = await connect(user);
      const gateway = realtime.server.container.get(WebSocketGatewayToken);
      const connections = realtime.server.container.get(RealtimeConnectionsToken);
      const useCases = realtime.server.container.get(UseCasesToken);
      socket.ws.pause();
      const open = connections.size;

      // Each event is about 20 KB (5,000 four-byte characters): 1,000 of them are far more than
      // the socket buffers of loopback and the 1 MiB the server may hold for one client.
      const text = '😀'.repeat(5_000);
      let most = 0;
      for (let sent = 0; sent < 1_000 && connections.size === open; sent += 1) {
        await useCases.sendMessage.execute({ userId: user.id, sessionId, text });
        most = Math.max(most, gateway.bufferedBytes);
      }
      expect(connections.size).toBe(open - 1);
      expect(most).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);

      socket.ws.resume();
      expect((await socket.closedWithin(15_000)).code).toBe(1013);
    }, 30_000);

    it('when a client does not answer the pings, the server drops it', async () => {
      const user = await realtime.user();
      const silent = new WebSocket(realtime.server.wsUrl, { autoPong: false });
      const closed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
      await new Promise((resolve) => silent.once('open', resolve));
      silent.send(JSON.stringify({ type: 'auth', token: user.accessToken }));
      const answering = await connect(user);

      expect(await closed).toBe(1006);
      expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    }, 10_000);
  });

  describe('the handshake', () => {
    it('answers GET /ws without an upgrade with 426 in the error shape', async () => {
      const response = await realtime.api.get('/ws');
      expect(response.status).toBe(426);
      expect(response.headers.get('upgrade')).toBe('websocket');
      expect(response.body).toEqual({ error: 'This is a WebSocket endpoint: connect with Upgrade: websocket', code: 'upgrade_required' });
    });

    it('refuses an upgrade on any other path with 404 in the error shape', async () => {
      const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const ws = new WebSocket(realtime.server.wsUrl.replace('/ws', '/chat'));
        ws.once('unexpected-response', (_request, response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        ws.once('open', () => reject(new Error('the upgrade was accepted')));
        ws.once('error', () => undefined);
      });
      expect(refused.status).toBe(404);
      expect(JSON.parse(refused.body)).toEqual({ error: 'Not found', code: 'route_not_found' });
    });
  });
});
