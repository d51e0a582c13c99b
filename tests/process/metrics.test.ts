/**
 * `GET /metrics` on the second listener (API.md, "Operations"), scraped from the built server as
 * Prometheus would: requests by route pattern and status with their latency, 429s by route, the
 * open WebSocket and event-stream connections, events published and delivered, the database pool,
 * the HTTP server's own refusals and Node's process metrics. The public port does not serve it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { expectError } from '../support/http-expectations.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../support/mysql-test-database.js';
import { parseExposition, type Sample, samplesOf, valueOf } from '../support/prometheus-text.js';
import { openRawConnection } from '../support/raw-connection.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, type Env, ensureBuilt, killAll, mySqlEnv, type RunningServer, startServer, within } from '../support/server-process.js';
import { openEventStream, TestSocket } from '../support/test-socket.js';

beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
afterEach(killAll);
afterAll(cleanUp);

interface MeteredServer extends RunningServer {
  readonly metricsUrl: string;
  scrape(): Promise<Sample[]>;
}

/** Starts the server with metrics on an ephemeral port, read from the line that announces it. */
const startMetered = async (env: Env): Promise<MeteredServer> => {
  const server = await startServer(baseEnv({ METRICS_PORT: '0', ...env }));
  const announced = await server.waitForLog((line) => line.msg.startsWith('metrics on'));
  const metricsUrl = `http://127.0.0.1:${String(announced['port'])}/metrics`;
  return {
    ...server,
    metricsUrl,
    scrape: async () => {
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      return parseExposition(await response.text());
    },
  };
};

const REQUESTS = 'chat_http_request_duration_seconds_count';

const register = async (api: Api): Promise<{ username: string; token: string }> => {
  const username = uniqueUsername('metrics');
  const registered = await api.post('/auth/register', { username, email: `${username}@example.com`, password: TEST_PASSWORD });
  expect(registered.status).toBe(201);
  return { username, token: registered.body.access_token };
};

describe('metrics on METRICS_PORT (sqlite)', () => {
  it('counts requests by route pattern and status, 429s, connections, events, the pool and the process, on its own port only', async () => {
    const server = await startMetered({ REALTIME_MAX_CONNECTIONS_PER_USER: '2' });
    const { api } = server;
    const before = await server.scrape();
    expect(valueOf(before, REQUESTS, { method: 'POST', route: '/auth/register', status: '201' })).toBeUndefined();

    const user = await register(api);
    const socket = await TestSocket.connect(server.wsUrl, user.token);
    const stream = await openEventStream(`${server.baseUrl}/events`, user.token);
    expect(stream.status).toBe(200);
    await stream.events.until((events) => events.some((event) => event.event === 'ready'), 5_000, "the stream's ready event");
    // A third connection for this user is over the cap of two: 429.
    const refused = await openEventStream(`${server.baseUrl}/events`, user.token);
    expect(refused.status).toBe(429);
    const session = await api.post('/chat/sessions', { title: 'Metered' }, user.token);
    expect(session.status).toBe(201);
    const sessionId: number = session.body.session.id;
    for (const text of ['one', 'two']) expect((await api.post(`/chat/sessions/${sessionId}/messages`, { text }, user.token)).status).toBe(201);
    expect((await api.get(`/chat/sessions/${sessionId}`, user.token)).status).toBe(200);
    expect((await api.get('/chat/sessions/999999', user.token)).status).toBe(404);
    // Refused by the router's authentication middleware, before the route's own handler runs.
    expect((await api.get(`/chat/sessions/${sessionId}`)).status).toBe(401);
    expect((await api.get('/no/such/path')).status).toBe(404);
    // Every event reached both connections (what the counters below count as delivered).
    await socket.eventsUntil(3);
    await stream.events.until((events) => events.filter((event) => event.id !== null && event.event !== 'ready').length >= 3, 5_000, 'three events');
    // A request line node:http cannot parse, refused before the app sees it.
    const broken = openRawConnection(server.baseUrl);
    broken.socket.write('GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n');
    await within(broken.closed, 5_000, 'the answer to a broken request line');

    const samples = await server.scrape();

    // Requests, by the router's pattern and never by the raw path: ids make no label of their own.
    expect(valueOf(samples, REQUESTS, { method: 'POST', route: '/auth/register', status: '201' })).toBe(1);
    expect(valueOf(samples, REQUESTS, { method: 'POST', route: '/chat/sessions/:id/messages', status: '201' })).toBe(2);
    expect(valueOf(samples, REQUESTS, { method: 'GET', route: '/chat/sessions/:id', status: '200' })).toBe(1);
    expect(valueOf(samples, REQUESTS, { method: 'GET', route: '/chat/sessions/:id', status: '404' })).toBe(1);
    expect(valueOf(samples, REQUESTS, { method: 'GET', route: '/chat/sessions/:id', status: '401' })).toBe(1);
    expect(valueOf(samples, REQUESTS, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    const routes = new Set(samplesOf(samples, REQUESTS).map((sample) => sample.labels['route']));
    // Only route patterns (no ids, no middleware's regular expressions), or `unmatched`.
    expect([...routes].filter((route) => route !== 'unmatched' && !/^(\/([A-Za-z_.-]+|:\w+))+$/.test(route ?? ''))).toEqual([]);
    // The latency histogram: buckets up to +Inf, which holds every request.
    const sends = { method: 'POST', route: '/chat/sessions/:id/messages', status: '201' };
    expect(valueOf(samples, 'chat_http_request_duration_seconds_bucket', { ...sends, le: '+Inf' })).toBe(2);
    expect(valueOf(samples, 'chat_http_request_duration_seconds_sum', sends)).toBeGreaterThan(0);

    expect(valueOf(samples, 'chat_http_rate_limited_total', { route: '/events' })).toBe(1);
    expect(valueOf(samples, 'chat_http_refused_total', { code: 'bad_request' })).toBe(1);

    expect(valueOf(samples, 'chat_realtime_connections', { transport: 'websocket' })).toBe(1);
    expect(valueOf(samples, 'chat_realtime_connections', { transport: 'event_stream' })).toBe(1);
    expect(valueOf(samples, 'chat_realtime_events_published_total', { type: 'session.created' })).toBe(1);
    expect(valueOf(samples, 'chat_realtime_events_published_total', { type: 'message.created' })).toBe(2);
    // Each event went to both connections.
    expect(valueOf(samples, 'chat_realtime_events_delivered_total', { type: 'session.created' })).toBe(2);
    expect(valueOf(samples, 'chat_realtime_events_delivered_total', { type: 'message.created' })).toBe(4);
    // `ready` is a control frame, not an event.
    expect(valueOf(samples, 'chat_realtime_events_delivered_total', { type: 'ready' })).toBeUndefined();

    // SQLite's pool is one connection.
    expect(valueOf(samples, 'chat_db_pool_connections_max')).toBe(1);
    expect((valueOf(samples, 'chat_db_pool_connections_used') ?? -1) + (valueOf(samples, 'chat_db_pool_connections_free') ?? -1)).toBe(1);
    expect(valueOf(samples, 'chat_db_pool_pending_acquires')).toBe(0);

    // Node's process metrics.
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(valueOf(samples, 'nodejs_active_handles_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'process_open_fds')).toBeGreaterThan(0);

    // The connections gauge follows the connections as they close.
    socket.close();
    stream.close();
    await expect
      .poll(async () => {
        const now = await server.scrape();
        return [valueOf(now, 'chat_realtime_connections', { transport: 'websocket' }), valueOf(now, 'chat_realtime_connections', { transport: 'event_stream' })];
      }, { timeout: 5_000 })
      .toEqual([0, 0]);

    // Not part of the API: the public port knows no such route.
    expectError(await api.get('/metrics'), 404, 'Not found', 'route_not_found');
    // And the metrics listener serves nothing else.
    const elsewhere = await fetch(server.metricsUrl.replace('/metrics', '/health'));
    expect(elsewhere.status).toBe(404);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }, 60_000);
});

describeWithMySql('metrics on METRICS_PORT (mysql)', () => {
  let database: MySqlTestDatabase | undefined;

  beforeAll(async () => {
    database = await createMySqlTestDatabase({ min: 0, max: 7 });
  });
  afterAll(async () => {
    await killAll();
    await database?.drop();
  });

  it("shows the MySQL pools' size and use, the transactions' and the statements' added up", async () => {
    const server = await startMetered(mySqlEnv(database!.options));
    const user = await register(server.api);
    expect((await server.api.get('/chat/sessions', user.token)).status).toBe(200);

    const samples = await server.scrape();

    // DB_POOL_MAX is 7: up to 7 on knex's pool (transactions) and 7 on the statement pool.
    expect(valueOf(samples, 'chat_db_pool_connections_max')).toBe(14);
    // Idle now: what the requests opened waits in the pool.
    expect(valueOf(samples, 'chat_db_pool_connections_used')).toBe(0);
    expect(valueOf(samples, 'chat_db_pool_connections_free')).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'chat_db_pool_pending_acquires')).toBe(0);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
