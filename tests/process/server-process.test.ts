/**
 * The built server as its own process, the way `npm start` runs it: `node dist/src/main.js` with a
 * clean environment in a temporary working directory (so no `.env` or database lands in the repo).
 * It checks what only a real process shows: the seed's flow end to end, data and tokens surviving
 * a restart, graceful shutdown on SIGTERM (WebSockets and event streams included), the `.env`
 * written on a first development start, and a bad configuration failing fast with one line on
 * stderr (QUALITY.md, Reliability). The process helpers live in `tests/support/server-process.ts`.
 */
import { copyFileSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { expectJson, INVALID_TOKEN, messageResource, sessionResource, tokenPair, userResource } from '../support/http-expectations.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../support/mysql-test-database.js';
import {
  baseEnv,
  BUILD_TIMEOUT_MS,
  cleanUp,
  delay,
  ensureBuilt,
  isListening,
  killAll,
  launch,
  mySqlEnv,
  ROOT,
  runToExit,
  startServer,
  tempDir,
  within,
} from '../support/server-process.js';
import { openEventStream, TestSocket } from '../support/test-socket.js';
import { Collector } from '../support/frame-collector.js';

/** Whether a new TCP connection to `port` is refused. */
const connectionRefused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

/**
 * A request sent in two parts: the headers with `Expect: 100-continue` first, the body only when
 * `finish` is called. `accepted` resolves when the server has taken the request (its 100 Continue).
 */
const startRequestInTwoParts = (port: number, method: string, path: string, body: unknown) => {
  const payload = JSON.stringify(body);
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    method,
    path,
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Expect: '100-continue' },
  });
  const accepted = new Promise<void>((resolve, reject) => {
    request.once('continue', () => resolve());
    request.once('error', reject);
  });
  const response = new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        text += chunk;
      });
      incoming.once('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text }));
      incoming.once('error', reject);
    });
  });
  request.flushHeaders();
  return {
    accepted: within(accepted, 10_000, '100 Continue'),
    finish: () => {
      request.end(payload);
      return within(response, 10_000, 'the answer to the request in flight');
    },
  };
};

/**
 * Whether new connections to `port` become refused within `ms`. The server logs 'shutting down'
 * just before it closes its listener, and on a loaded machine a connection can slip in between.
 */
const refusedWithin = async (port: number, ms: number): Promise<boolean> => {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await connectionRefused(port)) return true;
    await delay(20);
  }
  return false;
};

// Once per run, however many files need it (see `ensureBuilt`): every test runs what `npm start`
// runs, the compiled server.
beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

afterEach(killAll);

afterAll(cleanUp);

/** The access token of a newly registered account's first login. */
const registeredToken = async (api: Api, prefix: string): Promise<string> => {
  const username = uniqueUsername(prefix);
  const registered = await api.post('/auth/register', { username, email: `${username}@example.com`, password: TEST_PASSWORD });
  expect(registered.status).toBe(201);
  return registered.body.access_token;
};

/**
 * The seed's end-to-end subset: register → login → session → message → list → refresh → logout,
 * after which the access token of the ended login is refused.
 */
const seedFlow = async (api: Api): Promise<void> => {
  const username = uniqueUsername('seed');
  const email = `${username}@example.com`;

  const registered = await api.post('/auth/register', { username, email, password: TEST_PASSWORD });
  expectJson(registered, 201, { user: userResource({ username, email }), ...tokenPair() });
  const userId: string = registered.body.user.id;

  const login = await api.post('/auth/login', { username, password: TEST_PASSWORD });
  expectJson(login, 200, { user: userResource({ id: userId, username, email }), ...tokenPair() });
  const access: string = login.body.access_token;

  const session = await api.post('/chat/sessions', { title: 'Process Session' }, access);
  expectJson(session, 201, { session: sessionResource({ title: 'Process Session', message_count: 0, last_message_at: null }) });
  const sessionId: number = session.body.session.id;

  const sent = await api.post(`/chat/sessions/${sessionId}/messages`, { text: 'Hello from a child process!', sender: 'user' }, access);
  expectJson(sent, 201, { message: messageResource({ session_id: sessionId, text: 'Hello from a child process!', sender: 'user' }) });

  const listed = await api.get(`/chat/sessions/${sessionId}/messages?page=1&per_page=50`, access);
  expect(listed.status).toBe(200);
  expect(listed.body.messages).toEqual([sent.body.message]);
  expect(listed.body.pagination).toEqual({ page: 1, per_page: 50, total: 1, pages: 1, has_next: false, has_prev: false });

  const refreshed = await api.request('POST', '/auth/refresh', { token: login.body.refresh_token });
  expectJson(refreshed, 200, tokenPair());
  const newAccess: string = refreshed.body.access_token;

  const loggedOut = await api.post('/auth/logout', undefined, newAccess);
  expect(loggedOut.status).toBe(200);
  expect(loggedOut.body).toEqual({ message: expect.any(String) });

  expectJson(await api.get('/auth/profile', newAccess), 401, INVALID_TOKEN);
  expectJson(await api.get(`/chat/sessions/${sessionId}/messages`, newAccess), 401, INVALID_TOKEN);
  // The registration opened a login of its own, untouched by this logout.
  expect((await api.get('/auth/profile', registered.body.access_token)).status).toBe(200);
};

describe('the built server as a process (sqlite)', () => {
  describe('the seed flow', () => {
    it('serves the seed flow end to end and stops cleanly', async () => {
      const server = await startServer(baseEnv());
      expect(server.logs.find(isListening)).toMatchObject({ host: '127.0.0.1', database: 'sqlite' });

      await seedFlow(server.api);

      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }, 60_000);

    it('keeps data and tokens across a restart on the same database and secret', async () => {
      const env = baseEnv();
      const first = await startServer(env);
      const migrated = (line: { msg: string }) => line.msg.startsWith('using the SQLite database');
      expect(first.logs.find(migrated)).toMatchObject({ msg: expect.stringMatching(/; applied \d+ migrations?$/), migrations: expect.arrayContaining([expect.stringMatching(/^Migration\d+_initial$/)]) });
      const username = uniqueUsername('restart');
      const registered = await first.api.post('/auth/register', { username, email: `${username}@example.com`, password: TEST_PASSWORD });
      expect(registered.status).toBe(201);
      const token: string = registered.body.access_token;
      const session = await first.api.post('/chat/sessions', { title: 'Survives' }, token);
      const sent = await first.api.post(`/chat/sessions/${session.body.session.id}/messages`, { text: 'still here?' }, token);
      expect(sent.status).toBe(201);
      expect(await first.stop()).toEqual({ code: 0, signal: null });

      const second = await startServer(env);
      expect(second.logs.find(migrated)).toMatchObject({ msg: expect.stringMatching(/; its schema is up to date$/), migrations: [] });
      const login = await second.api.post('/auth/login', { username, password: TEST_PASSWORD });
      expect(login.status).toBe(200);
      const listed = await second.api.get(`/chat/sessions/${session.body.session.id}/messages`, login.body.access_token);

      expect(listed.status).toBe(200);
      expect(listed.body.messages).toEqual([sent.body.message]);
      // The same secret verifies a token issued by the first process.
      expect((await second.api.get('/auth/profile', token)).status).toBe(200);
      expect(await second.stop()).toEqual({ code: 0, signal: null });
    }, 60_000);
  });

  describe('graceful shutdown', () => {
    it('on SIGTERM exits 0 within 10 s and logs that it stopped', async () => {
      const server = await startServer(baseEnv());
      expect((await server.api.get('/health')).status).toBe(200);

      const started = performance.now();
      const exit = await server.stop();

      expect(exit).toEqual({ code: 0, signal: null });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(server.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
      expect(server.stderr()).toBe('');
      expect(await connectionRefused(server.port)).toBe(true);
    }, 30_000);

    it('when npm start gets SIGTERM (as a process manager sends it), the server itself shuts down and nothing is left running', async () => {
      // `npm start` as a process manager runs it, from a copy of the package that shares the built
      // server (`--ignore-scripts` skips the build, which this run has already done).
      const dir = tempDir('chat-npm-start-');
      copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
      symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'));
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const server = launch(baseEnv(), dir, ['npm', 'start', '--ignore-scripts', '--silent']);
      const listening = await server.waitForLog(isListening, 30_000);

      server.child.kill('SIGTERM');
      const exit = await within(server.exited, 10_000, 'exit of npm start after SIGTERM');

      expect(exit).toEqual({ code: 0, signal: null });
      expect(server.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
      expect(await connectionRefused(Number(listening['port']))).toBe(true);
    }, 45_000);

    it('stops accepting at once but finishes a request in flight with its normal answer', async () => {
      // Cost 12 makes a login take a few hundred milliseconds, as in production.
      const server = await startServer(baseEnv({ BCRYPT_ROUNDS: '12' }));
      const username = uniqueUsername('inflight');
      const email = `${username}@example.com`;
      expect((await server.api.post('/auth/register', { username, email, password: TEST_PASSWORD })).status).toBe(201);

      // The server answers `100 Continue` once it has taken the request: only then is the signal
      // sent, and the body after it, so the request is surely in flight whatever the machine's load.
      const login = startRequestInTwoParts(server.port, 'POST', '/auth/login', { username, password: TEST_PASSWORD });
      await login.accepted;
      const signalled = performance.now();
      server.child.kill('SIGTERM');
      await server.waitForLog((line) => line.msg === 'shutting down');
      // The request cannot finish before its body is sent, so this is during the shutdown.
      const refusedDuringShutdown = await refusedWithin(server.port, 3_000);
      const response = await login.finish();
      const exit = await within(server.exited, 10_000, 'exit after SIGTERM');

      expect(refusedDuringShutdown).toBe(true);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ user: userResource({ username, email }), ...tokenPair() });
      // The answer closes its connection, so a keep-alive client cannot hold the server open.
      expect(response.headers['connection']).toBe('close');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(performance.now() - signalled).toBeLessThan(10_000);
      // Every line is out, in order: the in-flight request's own, then 'stopped' last.
      expect(server.logs.some((line) => line.msg === 'request' && line['path'] === '/auth/login' && line['status'] === 200)).toBe(true);
      expect(server.logs.at(-1)?.msg).toBe('stopped');
      expect(await connectionRefused(server.port)).toBe(true);
    }, 30_000);

    it('a fetch under way when SIGTERM arrives still gets its 200', async () => {
      // The plain-client version of the test above: start the request, signal ~30 ms later.
      const server = await startServer(baseEnv({ BCRYPT_ROUNDS: '12' }));
      const username = uniqueUsername('fetch');
      expect((await server.api.post('/auth/register', { username, email: `${username}@example.com`, password: TEST_PASSWORD })).status).toBe(201);

      const inFlight = server.api.post('/auth/login', { username, password: TEST_PASSWORD });
      await delay(30);
      server.child.kill('SIGTERM');

      expect((await inFlight).status).toBe(200);
      expect(await within(server.exited, 10_000, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await connectionRefused(server.port)).toBe(true);
    }, 30_000);

    it('closes idle keep-alive connections instead of waiting for them to time out', async () => {
      const server = await startServer(baseEnv());
      const socket = connect({ host: '127.0.0.1', port: server.port });
      const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const answered = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString('latin1'))));
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      expect(await answered).toMatch(/^HTTP\/1\.1 200 /);

      server.child.kill('SIGTERM');

      // Node's keep-alive timeout is 5 s: well before it, the server has let the socket go and exited.
      await within(closedByServer, 3_000, 'the server closing an idle keep-alive connection');
      expect(await within(server.exited, 3_000, 'exit with an idle keep-alive connection open')).toEqual({ code: 0, signal: null });
    }, 30_000);

    it('when SIGTERM arrives with a WebSocket and an event stream open, closes the socket with 1001, ends the stream and exits 0 within 10 s', async () => {
      const server = await startServer(baseEnv());
      const token = await registeredToken(server.api, 'rtstop');
      // Both connections are live: authenticated, `ready` received.
      const socket = await TestSocket.connect(server.wsUrl, token);
      const stream = await openEventStream(`${server.baseUrl}/events`, token);
      expect(stream.status).toBe(200);
      await stream.events.until((events) => events.some((event) => event.event === 'ready'), 5_000, 'the stream\'s ready event');
      const streamEndedAt = stream.ended.then(() => performance.now());
      const socketClosedAt = socket.closed.then(() => performance.now());

      const signalled = performance.now();
      server.child.kill('SIGTERM');
      const [closed, streamEnd, exit] = await Promise.all([
        socket.closedWithin(10_000),
        within(streamEndedAt, 10_000, 'the end of the event stream'),
        within(server.exited, 10_000, 'exit after SIGTERM with real-time connections open'),
      ]);
      const exitedAt = performance.now();

      expect(closed.code).toBe(1001);
      // Ended by the shutdown, not before it.
      expect(streamEnd).toBeGreaterThanOrEqual(signalled);
      expect(await socketClosedAt).toBeGreaterThanOrEqual(signalled);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(exitedAt - signalled).toBeLessThan(10_000);
      expect(server.logs.at(-1)?.msg).toBe('stopped');
    }, 30_000);

    it('when SIGTERM ends an event stream, closes its keep-alive connection too instead of waiting for it to time out', async () => {
      const server = await startServer(baseEnv());
      const token = await registeredToken(server.api, 'rtidle');
      // A plain HTTP/1.1 client that keeps its connection for reuse and never closes it by itself.
      const socket = connect({ host: '127.0.0.1', port: server.port });
      const received = new Collector<string>();
      socket.setEncoding('latin1').on('data', (chunk: string) => received.push(chunk));
      const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const text = (): string => received.items.join('');
      socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: keep-alive\r\n\r\n`);
      await received.until(() => text().includes('event: ready\n'), 5_000, 'the stream\'s ready event');
      expect(text()).toMatch(/^HTTP\/1\.1 200 [^]*\r\ntransfer-encoding: chunked\r\n/i);

      server.child.kill('SIGTERM');

      // The stream ends with its last chunk; then, well before Node's 5 s keep-alive timeout, the
      // server lets the connection go and exits.
      await received.until(() => text().endsWith('\r\n0\r\n\r\n'), 3_000, 'the last chunk of the stream');
      await within(closedByServer, 3_000, 'the server closing the connection of an ended event stream');
      expect(await within(server.exited, 3_000, 'exit after ending an event stream')).toEqual({ code: 0, signal: null });
    }, 30_000);
  });

  describe('real time', () => {
    it('when GET /ws comes without an Upgrade header, answers 426 with the error shape and code upgrade_required', async () => {
      const server = await startServer(baseEnv());

      const response = await server.api.get('/ws');

      expectJson(response, 426, { error: expect.any(String), code: 'upgrade_required' });
      expect(response.body.error).not.toBe('');
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }, 30_000);
  });

  describe('first start in development', () => {
    it('writes .env with generated secrets and says so; the next start reuses it and tokens survive', async () => {
      const cwd = tempDir();
      const env = baseEnv({ NODE_ENV: 'development', JWT_SECRET_KEY: undefined });

      const first = await startServer(env, cwd);
      const envFile = join(cwd, '.env');
      expect(existsSync(envFile)).toBe(true);
      const written = readFileSync(envFile, 'utf8');
      expect(written).toMatch(/^JWT_SECRET_KEY=[\w-]{43,}$/m);
      expect(written).toMatch(/^SECRET_KEY=[\w-]{43,}$/m);
      expect(first.logs.find((line) => line.msg.includes('.env'))).toMatchObject({ file: envFile });
      const username = uniqueUsername('devstart');
      const registered = await first.api.post('/auth/register', { username, email: `${username}@example.com`, password: TEST_PASSWORD });
      expect(registered.status).toBe(201);
      expect(await first.stop()).toEqual({ code: 0, signal: null });

      const second = await startServer(env, cwd);
      expect(second.logs.some((line) => line.msg.includes('.env'))).toBe(false);
      expect(readFileSync(envFile, 'utf8')).toBe(written);
      const profile = await second.api.get('/auth/profile', registered.body.access_token);
      expect(profile.status).toBe(200);
      expect(profile.body.user.username).toBe(username);
      expect(await second.stop()).toEqual({ code: 0, signal: null });
    }, 60_000);
  });
});

describe('the built server on a bad configuration: startup fails fast and clearly', () => {
  it('production without JWT_SECRET_KEY: one line naming it, non-zero exit, no .env written', async () => {
    const cwd = tempDir();
    const result = await runToExit(baseEnv({ NODE_ENV: 'production', JWT_SECRET_KEY: undefined }), cwd);

    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toContain('JWT_SECRET_KEY');
    expect(existsSync(join(cwd, '.env'))).toBe(false);
    expect(result.logs).toEqual([]);
  });

  it('production with a 10-byte JWT_SECRET_KEY: one line naming it', async () => {
    const cwd = tempDir();
    const result = await runToExit(baseEnv({ NODE_ENV: 'production', JWT_SECRET_KEY: 'a'.repeat(10) }), cwd);

    expect(result.code).not.toBe(0);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toContain('JWT_SECRET_KEY');
    expect(result.stderrLines[0]).not.toContain('a'.repeat(10));
    expect(existsSync(join(cwd, '.env'))).toBe(false);
  });

  it('production with JWT_SECRET_KEY but no SECRET_KEY: one line naming SECRET_KEY, no .env written', async () => {
    const cwd = tempDir();
    const result = await runToExit(baseEnv({ NODE_ENV: 'production' }), cwd);

    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toContain('SECRET_KEY must be set in production');
    expect(existsSync(join(cwd, '.env'))).toBe(false);
    expect(result.logs).toEqual([]);
  });

  it('an unreachable database: one line naming it, within a few seconds', async () => {
    const result = await runToExit(baseEnv({ MYSQL_HOST: '127.0.0.1', MYSQL_PORT: '1' }));

    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.ms).toBeLessThan(8_000);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(/database/i);
    expect(result.stderrLines[0]).toContain('127.0.0.1:1');
    expect(result.logs.some(isListening)).toBe(false);
  });

  it('an invalid PORT: one line naming it', async () => {
    const result = await runToExit(baseEnv({ PORT: 'eighty' }));

    expect(result.code).not.toBe(0);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toContain('PORT');
  });

  it('a port already taken: one line naming the address', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as { port: number }).port;
      const result = await runToExit(baseEnv({ PORT: String(port) }));

      expect(result.code).not.toBe(0);
      expect(result.stderrLines).toHaveLength(1);
      expect(result.stderrLines[0]).toContain(`127.0.0.1:${port}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describeWithMySql('the built server as a process (mysql)', () => {
  let database: MySqlTestDatabase | undefined;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
  });
  afterAll(async () => {
    await killAll();
    await database?.drop();
  });

  it('serves the seed flow end to end and stops cleanly', async () => {
    const server = await startServer(baseEnv(mySqlEnv(database!.options)));
    expect(server.logs.find(isListening)).toMatchObject({ database: 'mysql' });

    await seedFlow(server.api);

    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
