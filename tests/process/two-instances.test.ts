/**
 * Two built servers (`node dist/src/main.js`) behind one imagined load balancer: one MySQL
 * database, one Redis, one JWT secret. What API.md, "Several instances", promises only a real
 * deployment shows: an event published by one instance reaches the user's connections on the
 * other, with the same position; offsets stay one stream across both; a login ended on one
 * instance closes its sockets on the other; and a position taken on one resumes on the other.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type Api, uniqueUsername } from '../support/api-client.js';
import { createMySqlTestDatabase, type MySqlTestDatabase } from '../support/mysql-test-database.js';
import { dropKeys, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/redis-test.js';
import { describeWithServices, MYSQL, REDIS } from '../support/required-services.js';
import {
  baseEnv,
  BUILD_TIMEOUT_MS,
  cleanUp,
  ensureBuilt,
  isListening,
  mySqlEnv,
  randomSecret,
  type RunningServer,
  startServer,
} from '../support/server-process.js';
import { type Frame, openEventStream, type TestEventStream, TestSocket } from '../support/test-socket.js';

const PASSWORD = 'Chat-Passw0rd';

/**
 * `describe` for tests that need both MySQL and Redis: they run when `TEST_MYSQL_URL` and
 * `TEST_REDIS_URL` are set; otherwise they are skipped with a warning, and a missing variable
 * whose `REQUIRE_MYSQL=1` / `REQUIRE_REDIS=1` is set fails instead. (Nesting `describeWithMySql`
 * and `describeWithRedis` would not do: with MySQL missing, the Redis requirement's failing test
 * would sit inside a skipped suite and be skipped too.)
 */
const describeWithMySqlAndRedis = (title: string, body: (redisUrl: string) => void): void =>
  describeWithServices(title, [MYSQL, REDIS], () => body(TEST_REDIS_URL ?? ''));

interface Account {
  readonly username: string;
  /** The access token of the login the registration opened. */
  readonly token: string;
}

const register = async (api: Api, prefix: string): Promise<Account> => {
  const username = uniqueUsername(prefix);
  const registered = await api.post('/auth/register', { username, email: `${username}@example.com`, password: PASSWORD });
  if (registered.status !== 201) throw new Error(`register ${username}: ${registered.status} ${registered.text}`);
  return { username, token: registered.body.access_token };
};

/** The access token of a new login of `account`. */
const logIn = async (api: Api, account: Account): Promise<string> => {
  const login = await api.post('/auth/login', { username: account.username, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login ${account.username}: ${login.status} ${login.text}`);
  return login.body.access_token;
};

const createSession = async (api: Api, token: string, title: string): Promise<number> => {
  const created = await api.post('/chat/sessions', { title }, token);
  if (created.status !== 201) throw new Error(`create session: ${created.status} ${created.text}`);
  return created.body.session.id;
};

const sendMessage = async (api: Api, token: string, sessionId: number, text: string): Promise<Frame> => {
  const sent = await api.post(`/chat/sessions/${sessionId}/messages`, { text, sender: 'user' }, token);
  if (sent.status !== 201) throw new Error(`send to ${sessionId}: ${sent.status} ${sent.text}`);
  return sent.body.message;
};

const readyOf = (socket: TestSocket): Frame => socket.frames.items.find((frame) => frame.type === 'ready');

describeWithMySqlAndRedis('two server processes on one mysql database and one redis', (redisUrl) => {
  let database: MySqlTestDatabase | undefined;
  const keyPrefix = uniqueKeyPrefix();
  let a: RunningServer;
  let b: RunningServer;
  /** What a test opened, closed after it whatever its outcome. */
  const opened: Array<{ close(): void }> = [];

  const socketOn = async (server: RunningServer, token: string, since?: { epoch: string; offset: number }): Promise<TestSocket> => {
    const socket = await TestSocket.connect(server.wsUrl, token, since);
    opened.push(socket);
    return socket;
  };
  const streamOn = async (server: RunningServer, token: string): Promise<TestEventStream> => {
    const stream = await openEventStream(`${server.baseUrl}/events`, token);
    opened.push(stream);
    expect(stream.status).toBe(200);
    await stream.events.until((events) => events.some((event) => event.event === 'ready'), 5_000, 'the stream\'s ready event');
    return stream;
  };

  beforeAll(async () => {
    await ensureBuilt();
    database = await createMySqlTestDatabase();
    const env = baseEnv({
      ...mySqlEnv(database.options),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      // One secret, so a token issued by either instance is valid on both.
      JWT_SECRET_KEY: randomSecret(),
    });
    // Started together, as a deployment starts them: the migrations' lock lets one migrate the
    // new database while the other waits for it.
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    for (const server of [a, b]) expect(server.logs.find(isListening)).toMatchObject({ database: 'mysql', realtime: 'redis' });
  }, BUILD_TIMEOUT_MS + 60_000);

  afterEach(() => {
    for (const connection of opened.splice(0)) connection.close();
  });

  afterAll(async () => {
    await cleanUp();
    await database?.drop();
    if (redisUrl) await dropKeys(redisUrl, keyPrefix);
  });

  it("when a message is sent through A, a WebSocket and an event stream on B get the same message.created as a WebSocket on A, and another user's socket on B gets none of it", async () => {
    const alice = await register(a.api, 'alice');
    const bob = await register(b.api, 'bob');
    const sessionId = await createSession(a.api, alice.token, 'Across instances');
    const onA = await socketOn(a, alice.token);
    const onB = await socketOn(b, alice.token);
    const streamB = await streamOn(b, alice.token);
    const bobOnB = await socketOn(b, bob.token);
    // One stream in Redis: both instances name the same position.
    const ready = readyOf(onA);
    expect(ready).toEqual({ type: 'ready', epoch: expect.any(String), offset: 1, recovered: false });
    expect(readyOf(onB)).toEqual(ready);

    const message = await sendMessage(a.api, alice.token, sessionId, 'sent through A');

    const expected = { type: 'message.created', epoch: ready.epoch, offset: 2, session_id: sessionId, message };
    expect(await onA.eventsUntil(1)).toEqual([expected]);
    expect(await onB.eventsUntil(1)).toEqual([expected]);
    const streamed = await streamB.events.until((events) => events.some((event) => event.event !== 'ready'), 5_000, 'an event on B');
    expect(streamed.filter((event) => event.event !== 'ready')).toEqual([{ id: `${ready.epoch}:2`, event: 'message.created', data: expected }]);
    // Bob's own event comes through the same Redis channel after Alice's: once it is there,
    // anything misrouted to Bob would be there before it.
    const bobSessionId = await createSession(a.api, bob.token, "Bob's");
    const bobEvents = await bobOnB.eventsUntil(1);
    expect(bobEvents).toEqual([{ type: 'session.created', epoch: expect.any(String), offset: 1, session: expect.objectContaining({ id: bobSessionId }) }]);
    expect(bobOnB.frames.items.map((frame) => frame.type)).toEqual(['ready', 'session.created']);
  });

  it('when 200 messages are sent concurrently, half through A and half through B, a socket on each sees every offset once, in order', async () => {
    const carol = await register(a.api, 'carol');
    const onA = await socketOn(a, carol.token);
    const onB = await socketOn(b, carol.token);
    expect(readyOf(onA)).toMatchObject({ offset: 0 });
    expect(readyOf(onB)).toMatchObject({ offset: 0 });
    // Four session.created events first: offsets 1-4. The 200 messages then take 5-204.
    const sessionIds: number[] = [];
    for (const server of [a, b, a, b]) sessionIds.push(await createSession(server.api, carol.token, `session ${sessionIds.length + 1}`));

    const sent = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        sendMessage(index % 2 === 0 ? a.api : b.api, carol.token, sessionIds[index % sessionIds.length]!, `message ${index}`),
      ),
    );

    const sentIds = sent.map((message) => message.id as number).sort((x, y) => x - y);
    expect(new Set(sentIds).size).toBe(200);
    for (const socket of [onA, onB]) {
      const events = await socket.eventsUntil(204, 30_000);
      expect(events).toHaveLength(204);
      expect(events.map((event) => event.offset)).toEqual(Array.from({ length: 204 }, (_, index) => index + 1));
      expect(events.slice(0, 4).map((event) => event.type)).toEqual(Array(4).fill('session.created'));
      const messages = events.slice(4);
      expect(messages.every((event) => event.type === 'message.created')).toBe(true);
      expect(messages.map((event) => event.message.id as number).sort((x, y) => x - y)).toEqual(sentIds);
      // Nothing missed or out of order on the way, so no resync was needed.
      expect(socket.frames.items.filter((frame) => frame.type === 'resync' || frame.type === 'degraded')).toEqual([]);
    }
    // One stream: the same events, at the same positions, on both instances.
    expect(onB.events()).toEqual(onA.events());
  }, 60_000);

  it('when an answer is streamed through A, sockets on A and on B receive every delta in order between its created and updated events', async () => {
    const frank = await register(a.api, 'frank');
    const sessionId = await createSession(a.api, frank.token, 'Streamed across instances');
    const watchers = [await socketOn(a, frank.token), await socketOn(b, frank.token)];
    const started = await a.api.post(`/chat/sessions/${sessionId}/messages`, { text: '', sender: 'assistant', status: 'streaming' }, frank.token);
    expect(started.status).toBe(201);
    const messageId = started.body.message.id as number;
    const pieces = Array.from({ length: 100 }, (_, index) => `piece ${index}; `);
    for (const piece of pieces) {
      expect((await a.api.post(`/chat/sessions/${sessionId}/messages/${messageId}/append`, { text: piece }, frank.token)).status).toBe(200);
    }
    expect((await a.api.post(`/chat/sessions/${sessionId}/messages/${messageId}/complete`, {}, frank.token)).status).toBe(200);

    for (const socket of watchers) {
      const frames = await socket.frames.until((items) => items.some((frame) => frame.type === 'message.updated'), 10_000, 'the final message.updated');
      expect(frames.map((frame) => frame.type)).toEqual(['ready', 'message.created', ...Array<string>(pieces.length).fill('message.delta'), 'message.updated']);
      expect(frames.filter((frame) => frame.type === 'message.delta').map((frame) => frame.text)).toEqual(pieces);
      expect(frames.at(-1)).toMatchObject({ message: { id: messageId, text: pieces.join(''), status: 'complete' } });
    }
  }, 60_000);

  it('when a login is ended through A, its socket on B closes with 4401 and a socket of another login of the same user on B stays open', async () => {
    const dave = await register(a.api, 'dave');
    const otherLogin = await logIn(b.api, dave);
    const ending = await socketOn(b, dave.token);
    const staying = await socketOn(b, otherLogin);

    const loggedOut = await a.api.post('/auth/logout', undefined, dave.token);
    expect(loggedOut.status).toBe(200);

    expect((await ending.closedWithin(5_000)).code).toBe(4401);
    // An event published after the logout reaches B after its announcement: the socket that gets
    // it was kept. (Through a login of its own, so that only the socket is put to the test.)
    const sessionId = await createSession(a.api, await logIn(a.api, dave), 'still here');
    expect(await staying.eventsUntil(1)).toEqual([expect.objectContaining({ type: 'session.created', session: expect.objectContaining({ id: sessionId }) })]);
    expect(staying.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('when a socket on A closes and 10 messages are sent through B, a socket on B resuming from its position gets exactly those 10, in order, then ready with recovered: true', async () => {
    const erin = await register(a.api, 'erin');
    const onA = await socketOn(a, erin.token);
    const sessionId = await createSession(a.api, erin.token, 'Resume');
    const [created] = await onA.eventsUntil(1);
    const position = { epoch: created.epoch as string, offset: created.offset as number };
    expect(position.offset).toBe(1);
    onA.close();
    await onA.closedWithin();

    const sent: Frame[] = [];
    for (let index = 0; index < 10; index += 1) sent.push(await sendMessage(b.api, erin.token, sessionId, `missed ${index}`));
    const resumed = await socketOn(b, erin.token, position);

    expect(resumed.frames.items).toEqual([
      ...sent.map((message, index) => ({ type: 'message.created', epoch: position.epoch, offset: 2 + index, session_id: sessionId, message })),
      { type: 'ready', epoch: position.epoch, offset: 11, recovered: true },
    ]);
  });
});
