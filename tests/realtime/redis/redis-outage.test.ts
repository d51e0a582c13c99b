/**
 * Redis stopped and started again under live connections (through a TCP proxy the test controls,
 * in front of the machine's Redis): HTTP keeps answering, sockets and event streams are told
 * `degraded`, then `resync`, then live delivery resumes, with no restart.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoginRepository } from '../../../src/application/ports/login-repository.port.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { describeWithRedis, dropKeys, uniqueKeyPrefix } from '../../support/redis-test.js';
import { openEventStream, TestSocket, type TestEventStream } from '../../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from '../realtime-fixtures.js';

describeWithRedis('real time through a Redis outage (memory, redis)', (url) => {
  let realtime: RealtimeServer;
  let proxy: TcpProxy;
  const keyPrefix = uniqueKeyPrefix();
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    const target = new URL(url);
    proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    realtime = await startRealtimeServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_KEY_PREFIX: keyPrefix } });
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
    await proxy?.stop();
    await dropKeys(url, keyPrefix);
  });

  it('when Redis goes away and comes back, HTTP keeps working, connections get degraded then resync, and delivery resumes', async () => {
    const user = await realtime.user();
    const sessionId = await realtime.session(user);
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken);
    opened.push(socket);
    const events = await openEventStream(`${realtime.server.baseUrl}/events`, user.accessToken);
    opened.push(events);
    await events.events.atLeast(1);
    expect((await realtime.api.get('/ready')).body).toEqual({ status: 'ready', database: 'up', redis: 'up' });

    await proxy.stop();
    await socket.frames.until((frames) => frames.some((frame) => frame.type === 'degraded'));
    await events.events.until((items) => items.some((item) => item.event === 'degraded'));
    const during = await realtime.api.post(`/chat/sessions/${sessionId}/messages`, { text: 'During the outage' }, user.accessToken);
    expect(during.status).toBe(201);
    expect((await realtime.api.get(`/chat/sessions/${sessionId}/messages`, user.accessToken)).body.messages).toHaveLength(1);
    // Reported, not failed: an instance without Redis still serves HTTP, so it stays in rotation.
    const ready = await realtime.api.get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'up', redis: 'down' });
    const refused = await TestSocket.open(realtime.server.wsUrl);
    refused.send({ type: 'auth', token: user.accessToken });
    expect((await refused.closedWithin()).code).toBe(1013);
    expect(refused.frames.items).toEqual([{ type: 'error', error: 'Real-time updates are unavailable', code: 'unavailable' }]);

    await proxy.start();
    await socket.frames.until((frames) => frames.some((frame) => frame.type === 'resync'), 10_000);
    await events.events.until((items) => items.some((item) => item.event === 'resync'), 10_000);
    expect((await realtime.api.get('/ready')).body).toEqual({ status: 'ready', database: 'up', redis: 'up' });
    await realtime.send(user, sessionId, 'After the outage');
    await socket.frames.until((frames) => frames.some((frame) => frame.message?.text === 'After the outage'));
    await events.events.until((items) => items.some((item) => item.data.message?.text === 'After the outage'));

    expect(socket.frames.items.map((frame) => frame.type)).toEqual(['ready', 'degraded', 'resync', 'message.created']);
    expect(events.events.items.map((item) => item.event)).toEqual(['ready', 'degraded', 'resync', 'message.created']);
  });

  it('when a login ends while Redis is away and the news cannot come, its socket is closed (4401) once Redis is back', async () => {
    const user = await realtime.user();
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken);
    opened.push(socket);
    const other = await realtime.api.post('/auth/login', { username: user.username, password: user.password });
    const staying = await TestSocket.connect(realtime.server.wsUrl, other.body.access_token);
    opened.push(staying);

    await proxy.stop();
    await socket.frames.until((frames) => frames.some((frame) => frame.type === 'degraded'));
    // Ended behind this instance's back, as a logout on another instance would be while the
    // announcement cannot travel.
    const logins = realtime.server.container.get<LoginRepository>(LoginRepository);
    const { sid } = JSON.parse(Buffer.from(user.accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sid: string };
    const login = await logins.findById(sid);
    if (!login) throw new Error(`no login ${sid}`);
    login.revoke(new Date());
    expect(await logins.saveRevocation(login)).toBe(true);

    await proxy.start();
    expect((await socket.closedWithin(10_000)).code).toBe(4401);
    await staying.frames.until((frames) => frames.some((frame) => frame.type === 'resync'), 10_000);
    expect(staying.ws.readyState).toBe(WebSocket.OPEN);
  });
});
