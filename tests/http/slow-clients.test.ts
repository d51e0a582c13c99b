/**
 * Slow clients cannot hold the server (QUALITY.md, Reliability): over real sockets, a client that
 * trickles its headers or never finishes its body is cut within the configured time with a JSON
 * 408, an idle keep-alive connection is let go, and the long-lived connections of real time (a
 * WebSocket, an event stream), whose requests are complete, outlive the request timeout.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawConnection, parseAnswer, type RawExchange } from '../support/raw-connection.js';
import { within } from '../support/server-process.js';
import { openEventStream, TestSocket } from '../support/test-socket.js';
import { startRealtimeServer, type RealtimeServer } from '../realtime/realtime-fixtures.js';

// Short, and apart from each other, so a test can tell which one cut the connection.
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_000;
/**
 * How late after its timeout a cut may come: Node sweeps for expired requests every half second
 * (http-server.ts), and a loaded machine runs timers late. Without the configured timeouts Node
 * would wait 60 s for headers and 300 s for a request, far beyond this.
 */
const LATENESS_MS = 2_000;
/** Node keeps an idle socket this much longer than the `Keep-Alive: timeout=…` it announces, so a client that honours the header never races the close. */
const NODE_KEEP_ALIVE_GRACE_MS = 1_000;
/** The clock of the test and the server's differ by the connection's set-up, at most this much early. */
const EARLINESS_MS = 100;

const TIMED_OUT = { error: 'Request timeout', code: 'request_timeout' };

/** The answer of a connection the server cut, checked as the API's JSON 408. */
const expectJson408 = (exchange: RawExchange): void => {
  const answer = parseAnswer(exchange.text);
  expect(answer.status).toBe(408);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['connection']).toBe('close');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(JSON.parse(answer.body)).toEqual(TIMED_OUT);
};

describe('slow clients (memory, over real sockets)', () => {
  let realtime: RealtimeServer;
  /** The server's request log lines, parsed. */
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );

  beforeAll(async () => {
    realtime = await startRealtimeServer({
      overrides: { logger },
      env: {
        HTTP_HEADERS_TIMEOUT: String(HEADERS_TIMEOUT_MS / 1000),
        HTTP_REQUEST_TIMEOUT: String(REQUEST_TIMEOUT_MS / 1000),
        HTTP_KEEP_ALIVE_TIMEOUT: String(KEEP_ALIVE_TIMEOUT_MS / 1000),
      },
    });
  });
  afterAll(async () => {
    await realtime?.server.close();
  });

  const cutWithin = (closed: Promise<RawExchange>, timeoutMs: number): Promise<RawExchange> =>
    within(closed, timeoutMs + LATENESS_MS, 'the server cutting the connection');

  it('when a client trickles its headers and never ends them, the connection is cut with a JSON 408 within the headers timeout', async () => {
    const connection = openRawConnection(realtime.server.baseUrl);
    await connection.connected;
    connection.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // A header line every 200 ms: always something new, never the blank line that ends them.
    connection.trickle(['X-Slow: a\r\n'], 200);

    const exchange = await cutWithin(connection.closed, HEADERS_TIMEOUT_MS);

    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - EARLINESS_MS);
    expectJson408(exchange);
  });

  it('when a client connects and sends nothing, the connection is cut with a JSON 408 within the headers timeout', async () => {
    const connection = openRawConnection(realtime.server.baseUrl);

    const exchange = await cutWithin(connection.closed, HEADERS_TIMEOUT_MS);

    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - EARLINESS_MS);
    expectJson408(exchange);
  });

  it('when a request sends its headers and then never finishes its body, it is answered with a JSON 408 within the request timeout', async () => {
    const connection = openRawConnection(realtime.server.baseUrl);
    await connection.connected;
    const body = JSON.stringify({ username: 'slow-client', password: 'Chat-Passw0rd' });
    // The headers promise the whole body; a third of it comes, then nothing.
    connection.socket.write(
      `POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n` +
        body.slice(0, body.length / 3),
    );

    const exchange = await cutWithin(connection.closed, REQUEST_TIMEOUT_MS);

    // The headers were complete: the request timeout, not the headers timeout, is what cut it.
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - EARLINESS_MS);
    expectJson408(exchange);
    // The handler waiting for the body was let go too, and its log line says what the client got.
    const requestId = parseAnswer(exchange.text).headers['x-request-id'];
    await expect
      .poll(() => logLines.find((line) => line['msg'] === 'request' && line['requestId'] === requestId), { timeout: 2_000 })
      .toMatchObject({ method: 'POST', path: '/auth/login', status: 408 });
  });

  it('when a request trickles its body a byte at a time, it is answered with a JSON 408 within the request timeout', async () => {
    const connection = openRawConnection(realtime.server.baseUrl);
    await connection.connected;
    connection.socket.write('POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    // Bytes keep coming (an inactivity timeout would never fire), but the whole body never does.
    connection.trickle([' '], 100);

    const exchange = await cutWithin(connection.closed, REQUEST_TIMEOUT_MS);

    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - EARLINESS_MS);
    expectJson408(exchange);
  });

  it('when a keep-alive connection sits idle after its answer, the server closes it after the keep-alive timeout', async () => {
    const connection = openRawConnection(realtime.server.baseUrl);
    await connection.connected;
    const answered = new Promise<number>((resolve) => connection.socket.once('data', () => resolve(performance.now())));
    connection.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const answeredAt = await answered;

    const exchange = await cutWithin(connection.closed, KEEP_ALIVE_TIMEOUT_MS + NODE_KEEP_ALIVE_GRACE_MS);
    const idleMs = performance.now() - answeredAt;

    const answer = parseAnswer(exchange.text);
    expect(answer.status).toBe(200);
    // The client is told how long the connection stays open for reuse.
    expect(answer.headers['keep-alive']).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
    expect(idleMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - EARLINESS_MS);
  });

  it('a WebSocket and an event stream, whose requests are complete, live on past the request timeout and still deliver', async () => {
    const user = await realtime.user();
    const socket = await TestSocket.connect(realtime.server.wsUrl, user.accessToken);
    const stream = await openEventStream(`${realtime.server.baseUrl}/events`, user.accessToken);
    try {
      expect(stream.status).toBe(200);
      await stream.events.until((events) => events.some((event) => event.event === 'ready'), 5_000, "the stream's ready event");
      let streamEnded = false;
      void stream.ended.then(() => (streamEnded = true));

      // Silent on both (no keep-alive comment or ping is due this soon) for well past every timeout.
      await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + LATENESS_MS));
      const sessionId = await realtime.session(user, 'Still here');

      const [event] = await socket.eventsUntil(1);
      expect(event).toMatchObject({ type: 'session.created', session: { id: sessionId } });
      await stream.events.until((events) => events.some((e) => e.event === 'session.created'), 5_000, 'the event on the stream');
      expect(streamEnded).toBe(false);
    } finally {
      socket.close();
      stream.close();
    }
  }, 20_000);

  it('still answers ordinary requests on fresh connections after cutting the slow ones', async () => {
    expect((await realtime.api.get('/health')).status).toBe(200);
  });
});
