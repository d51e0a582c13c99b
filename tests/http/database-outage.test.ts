/**
 * The database can fail (QUALITY.md, Reliability): the whole application over HTTP, reaching MySQL
 * through a TCP proxy the test controls. While the proxy refuses connections, or swallows them
 * without ever answering, every request that needs the database answers 503 `unavailable` with
 * `Retry-After` within the configured timeouts (a bound on a hang, not a speed assertion),
 * `/health` stays 200 and `/ready` says 503. Once traffic passes again, the same server serves
 * again with no restart, with everything acknowledged before the outage and nothing that was
 * refused during it.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  type ApiResponse,
  createApi,
  registerAndLogin,
  type RegisteredUser,
  type RequestOptions,
  TEST_PASSWORD,
  uniqueUsername,
} from '../support/api-client.js';
import { expectError, expectJson, INVALID_CREDENTIALS } from '../support/http-expectations.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { describeWithMySql } from '../support/mysql-test-database.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

const CONNECT_TIMEOUT_MS = 1_000;
const ACQUIRE_TIMEOUT_MS = 2_000;
/** No request may take longer than this during an outage: the configured wait plus a margin. */
const HANG_BOUND_MS = ACQUIRE_TIMEOUT_MS + 3_000;
/** When the test itself gives up on a request: past the bound, so a hang fails as one, by name. */
const GIVE_UP_MS = HANG_BOUND_MS + 1_000;
/** How long a restored database may take to be used again, polled on `/ready`. */
const RECOVERY_BOUND_MS = 10_000;

const SERVER_ENV = {
  DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
  DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
  DB_STATEMENT_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
  // No connection is kept open for its own sake: what the pool holds is only what requests opened.
  DB_POOL_MIN: '0',
  DB_POOL_MAX: '4',
};

const UNAVAILABLE = { error: 'Database unavailable', code: 'unavailable' } as const;

interface Attempt {
  readonly label: string;
  /** Null when the test gave up waiting (`GIVE_UP_MS`). */
  readonly response: ApiResponse | null;
  readonly ms: number;
}

/** One request, timed with a monotonic clock. */
const attempt = async (api: Api, method: string, path: string, options: RequestOptions = {}): Promise<Attempt> => {
  const label = `${method} ${path}`;
  const started = performance.now();
  try {
    const response = await api.request(method, path, { ...options, signal: AbortSignal.timeout(GIVE_UP_MS) });
    return { label, response, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return { label, response: null, ms: performance.now() - started };
    throw error;
  }
};

/** Polls `/ready` until it says 200, for at most `RECOVERY_BOUND_MS`; returns whether it did. */
const readyAgain = async (api: Api): Promise<boolean> => {
  const deadline = performance.now() + RECOVERY_BOUND_MS;
  while (performance.now() < deadline) {
    if ((await api.get('/ready')).status === 200) return true;
    await sleep(200);
  }
  return false;
};

/** The answer, or a failure saying the request hangs. */
const answered = ({ label, response }: Attempt): ApiResponse => {
  if (!response) throw new Error(`${label}: no answer within ${GIVE_UP_MS} ms, the request hangs`);
  return response;
};

const expectUnavailable = (outcome: Attempt): void => {
  const { label, ms } = outcome;
  const response = answered(outcome);
  expect({ label, status: response.status, body: response.body }).toEqual({ label, status: 503, body: UNAVAILABLE });
  expect(response.headers.get('retry-after'), label).toMatch(/^[1-9]\d*$/);
  expect(ms, `${label} took ${Math.round(ms)} ms`).toBeLessThan(HANG_BOUND_MS);
};

/**
 * One outage, from a server with data to the same server serving it again: `cut` is how the
 * proxy fails (refused connections, or a black hole), `idleFirstMs` how long the pool's
 * connection sits idle before it (a real outage rarely starts right after a query).
 */
const outage = (title: string, cut: (proxy: TcpProxy) => Promise<void>, { idleFirstMs = 0 } = {}): void => {
  describe(title, () => {
    let server: TestServer;
    let proxy: TcpProxy;
    let api: Api;
    let alice: RegisteredUser;
    let sessionId: number;
    const acknowledged: string[] = [];
    const refusedText = `sent during the outage ${uniqueUsername('text')}`;
    const refusedUsername = uniqueUsername('outage');

    beforeAll(async () => {
      server = await startTestServer({ database: 'mysql', env: SERVER_ENV, throughProxy: true });
      if (!server.proxy) throw new Error('the test server was started without its proxy');
      proxy = server.proxy;
      api = createApi(server.baseUrl);

      alice = await registerAndLogin(api);
      const created = await api.post('/chat/sessions', { title: 'Before the outage' }, alice.accessToken);
      expect(created.status).toBe(201);
      sessionId = created.body.session.id;
      for (const text of ['first, acknowledged', 'second, acknowledged']) {
        const sent = await api.post(`/chat/sessions/${sessionId}/messages`, { text }, alice.accessToken);
        expect(sent.status).toBe(201);
        acknowledged.push(text);
      }
      expectJson(await api.get('/ready'), 200, { status: 'ready', database: 'up' });
      await sleep(idleFirstMs);
    });

    afterAll(() => server?.close());

    it('while the database is out of reach, each request answers 503 with Retry-After within the timeout; /health 200, /ready 503', async () => {
      await cut(proxy);

      const token = alice.accessToken;
      // One at a time, so each is timed on its own. In a black hole, the first one gets the
      // connection the pool kept from before (its statement is never answered); the next ones
      // must open one (the handshake never comes).
      expectUnavailable(await attempt(api, 'POST', '/auth/login', { body: { username: alice.username, password: alice.password } }));
      expectUnavailable(await attempt(api, 'GET', '/chat/sessions', { token }));
      expectUnavailable(await attempt(api, 'POST', `/chat/sessions/${sessionId}/messages`, { token, body: { text: refusedText } }));
      expectUnavailable(await attempt(api, 'GET', '/auth/profile', { token }));
      const registration = { username: refusedUsername, email: `${refusedUsername}@example.com`, password: TEST_PASSWORD };
      expectUnavailable(await attempt(api, 'POST', '/auth/register', { body: registration }));

      // More at once than the pool holds (4): those waiting for a connection fail too, none hangs.
      const together = await Promise.all(
        Array.from({ length: 6 }, () => attempt(api, 'GET', `/chat/sessions/${sessionId}/messages`, { token })),
      );
      together.forEach(expectUnavailable);

      expectJson(answered(await attempt(api, 'GET', '/health')), 200, { status: 'ok' });
      const ready = await attempt(api, 'GET', '/ready');
      expectJson(answered(ready), 503, UNAVAILABLE);
      expect(ready.ms, `GET /ready took ${Math.round(ready.ms)} ms`).toBeLessThan(HANG_BOUND_MS);
    }, 90_000);

    it('once traffic passes again, the same server serves again: what was acknowledged is there, what was refused is not', async () => {
      await proxy.start();

      expect(await readyAgain(api), `/ready not 200 within ${RECOVERY_BOUND_MS} ms of the proxy passing traffic again`).toBe(true);

      const login = await api.post('/auth/login', { username: alice.username, password: alice.password });
      expect(login.status).toBe(200);
      const token: string = login.body.access_token;
      // The token issued before the outage still works: its login survived it.
      const profile = await api.get('/auth/profile', alice.accessToken);
      expect({ status: profile.status, username: profile.body.user?.username }).toEqual({ status: 200, username: alice.username });

      const sessions = await api.get('/chat/sessions', token);
      expect(sessions.status).toBe(200);
      expect(sessions.body.sessions).toEqual([
        expect.objectContaining({ id: sessionId, title: 'Before the outage', message_count: acknowledged.length }),
      ]);

      const before = await api.get(`/chat/sessions/${sessionId}/messages?per_page=100`, token);
      expect(before.status).toBe(200);
      expect(before.body.messages.map((message: { text: string }) => message.text)).toEqual(acknowledged);

      const sent = await api.post(`/chat/sessions/${sessionId}/messages`, { text: 'after the outage' }, token);
      expect(sent.status).toBe(201);
      const after = await api.get(`/chat/sessions/${sessionId}/messages?per_page=100`, token);
      expect(after.body.messages.map((message: { text: string }) => message.text)).toEqual([...acknowledged, 'after the outage']);
      expect(after.body.messages.map((message: { text: string }) => message.text)).not.toContain(refusedText);

      // The registration refused during the outage left no account behind.
      expectError(await api.post('/auth/login', { username: refusedUsername, password: TEST_PASSWORD }), 401, INVALID_CREDENTIALS.error, INVALID_CREDENTIALS.code);
    }, 60_000);
  });
};

describeWithMySql('database outage over HTTP (MySQL through a TCP proxy)', () => {
  outage('connections refused and reset', (proxy) => proxy.stop());
  // Idle past the statement limit first: the watch on a pooled connection must outlive its
  // connection's idle periods, not just catch a statement sent right after the last one.
  outage('a black hole: connections accepted, never answered', (proxy) => proxy.blackHole(), { idleFirstMs: ACQUIRE_TIMEOUT_MS + 500 });
});
