/**
 * A connection lives as long as its login: whatever ends a login (API.md lists five ways) closes
 * exactly the WebSockets and event streams opened with it, with 4401, and no other.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredUser } from '../support/api-client.js';
import { TestSocket, openEventStream, type TestEventStream } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from './realtime-fixtures.js';

interface Login {
  readonly accessToken: string;
  readonly refreshToken: string;
}

describe('connections of a login that ends (memory)', () => {
  let realtime: RealtimeServer;
  const opened: Array<TestSocket | TestEventStream> = [];

  beforeAll(async () => {
    // Strict refresh (no grace window), so that a spent refresh token is reuse at once; inside a
    // window it would get its pair again (tests/http/refresh-grace-window.test.ts).
    realtime = await startRealtimeServer({ env: { REFRESH_REUSE_GRACE: '0' } });
  });
  afterAll(async () => {
    for (const connection of opened) connection.close();
    await realtime?.server.close();
  });

  /** A user with two logins (`first` from registerAndLogin, `second` from another login). */
  const userWithTwoLogins = async (): Promise<{ user: RegisteredUser; first: Login; second: Login }> => {
    const user = await realtime.user();
    const again = await realtime.api.post('/auth/login', { username: user.username, password: user.password });
    expect(again.status).toBe(200);
    return {
      user,
      first: { accessToken: user.accessToken, refreshToken: user.refreshToken },
      second: { accessToken: again.body.access_token, refreshToken: again.body.refresh_token },
    };
  };
  const socketOf = async (login: Login): Promise<TestSocket> => {
    const socket = await TestSocket.connect(realtime.server.wsUrl, login.accessToken);
    opened.push(socket);
    return socket;
  };
  const streamOf = async (login: Login): Promise<TestEventStream> => {
    const stream = await openEventStream(`${realtime.server.baseUrl}/events`, login.accessToken);
    opened.push(stream);
    await stream.events.until((events) => events.some((event) => event.event === 'ready'));
    return stream;
  };
  /** The other login's connections are still open and still receive events. */
  const expectStillLive = async (token: string, socket: TestSocket): Promise<void> => {
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    const response = await realtime.api.post('/chat/sessions', { title: 'Still here' }, token);
    expect(response.status).toBe(201);
    const [event] = await socket.eventsUntil(1);
    expect(event).toMatchObject({ type: 'session.created', session: { title: 'Still here' } });
  };

  it("when a login logs out, its WebSocket and event stream close at once (4401) and the user's other login keeps its socket", async () => {
    const { first, second } = await userWithTwoLogins();
    const [ending, endingStream, staying] = [await socketOf(first), await streamOf(first), await socketOf(second)];

    expect((await realtime.api.post('/auth/logout', undefined, first.accessToken)).status).toBe(200);
    expect(await ending.closedWithin()).toEqual({ code: 4401, reason: 'login ended' });
    await endingStream.ended;
    await expectStillLive(second.accessToken, staying);
  });

  it('when a user logs out everywhere, the connections of every login close with 4401', async () => {
    const { first, second } = await userWithTwoLogins();
    const sockets = [await socketOf(first), await socketOf(second)];
    const stream = await streamOf(second);

    expect((await realtime.api.post('/auth/logout-all', undefined, first.accessToken)).status).toBe(200);
    for (const socket of sockets) expect((await socket.closedWithin()).code).toBe(4401);
    await stream.ended;
  });

  it("when the password changes, the other logins' connections close with 4401 and the changing login's stays", async () => {
    const { user, first, second } = await userWithTwoLogins();
    const [changing, other] = [await socketOf(first), await socketOf(second)];

    const changed = await realtime.api.put('/auth/profile', { password: 'Another-Passw0rd', current_password: user.password }, first.accessToken);
    expect(changed.status).toBe(200);
    expect((await other.closedWithin()).code).toBe(4401);
    await expectStillLive(first.accessToken, changing);
  });

  it("when a spent refresh token comes back, that login's connections close with 4401 and the other login's stay", async () => {
    const { first, second } = await userWithTwoLogins();
    const [reused, other] = [await socketOf(first), await socketOf(second)];

    expect((await realtime.api.post('/auth/refresh', { refresh_token: first.refreshToken })).status).toBe(200);
    expect((await realtime.api.post('/auth/refresh', { refresh_token: first.refreshToken })).status).toBe(401);
    expect((await reused.closedWithin()).code).toBe(4401);
    await expectStillLive(second.accessToken, other);
  });

  it("when the account is deleted, every connection of the account closes with 4401 and another user's stays", async () => {
    const { user, first, second } = await userWithTwoLogins();
    const sockets = [await socketOf(first), await socketOf(second)];
    const bob = await realtime.user();
    const onBob = await socketOf(bob);

    expect((await realtime.api.delete('/auth/profile', { current_password: user.password }, first.accessToken)).status).toBe(200);
    for (const socket of sockets) expect((await socket.closedWithin()).code).toBe(4401);
    await expectStillLive(bob.accessToken, onBob);
  });
});
