import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { API_CSP } from './middleware/security-headers.middleware.js';

/** How long a client may take over a request, and keep an idle connection. */
export interface HttpServerTimeouts {
  /** From a request's first byte to the end of its headers. */
  readonly headersMs: number;
  /** From a request's first byte to the end of its body. */
  readonly requestMs: number;
  /** How long a connection may sit idle between requests. */
  readonly keepAliveMs: number;
}

/** What the server tells of the requests it refuses before the app sees them (for metrics). */
export type ClientErrorListener = (code: string) => void;

/**
 * Node enforces the headers and request timeouts by sweeping its connections on a timer, every
 * 30 s by default, so a 10 s timeout could be 40 s in practice. Half a second keeps the cut close
 * to the configured time; the sweep only visits connections that are mid-request.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 500;

/** A request under way on a connection, with its response. */
interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

interface Problem {
  readonly status: number;
  readonly error: string;
  readonly code: string;
}

const PROBLEMS: Record<string, Problem> = {
  HPE_HEADER_OVERFLOW: { status: 431, error: 'Request headers too large', code: 'headers_too_large' },
  // The headers or the body did not arrive within their timeout (Node says the same for both).
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, error: 'Request timeout', code: 'request_timeout' },
};
const MALFORMED: Problem = { status: 400, error: 'Malformed HTTP request', code: 'bad_request' };

const problemHeaders = (body: string): Record<string, string> => ({
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Length': String(Buffer.byteLength(body)),
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': API_CSP,
  Connection: 'close',
});

/**
 * Node answers a request it cannot parse (a request line or headers over 16 KB, a broken request
 * line), or that does not arrive in time, before or behind Koa's back, with a bare text answer.
 * This answers in the API's error shape instead, so every response a client can get is JSON.
 *
 * A request whose headers arrived already has its response (Koa is waiting for the body): the
 * answer goes through that response, so the request's log line says 408 rather than whatever the
 * cut-off body makes Koa conclude later; once that response has started, no answer can be sent
 * and the connection is only closed. Either way the connection goes once the answer is out: a
 * client that stalled once does not get to hold it open.
 */
const answerClientError = (
  error: NodeJS.ErrnoException,
  socket: Duplex,
  pending: ReadonlyMap<Duplex, Exchange>,
  onClientError: ClientErrorListener | undefined,
): void => {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const problem = PROBLEMS[error.code ?? ''] ?? MALFORMED;
  onClientError?.(problem.code);
  const body = JSON.stringify({ error: problem.error, code: problem.code });
  const exchange = pending.get(socket);
  if (exchange) {
    const { request, response } = exchange;
    if (response.headersSent) {
      request.destroy();
      return;
    }
    response.writeHead(problem.status, problemHeaders(body));
    // Once the answer is out, the request is given up: that ends Koa's wait for the body (it
    // hears 'aborted') along with the connection, instead of leaving the handler pending.
    response.end(body, () => request.destroy());
    return;
  }
  const head = Object.entries(problemHeaders(body))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n${head}\r\n${body}`, () => socket.destroy());
};

export interface HttpServerOptions {
  readonly timeouts: HttpServerTimeouts;
  readonly onClientError?: ClientErrorListener;
}

/**
 * The node:http server for the Koa app: slow clients cut by the configured timeouts, and even
 * unparsable or timed-out requests answered in JSON. WebSocket upgrades and event streams are not
 * cut: the request timeout covers receiving a request, and theirs is complete once its headers are in.
 */
export const createHttpServer = (app: Koa, options: HttpServerOptions): Server => {
  const { headersMs, requestMs, keepAliveMs } = options.timeouts;
  const server = createServer(
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      keepAliveTimeout: keepAliveMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    app.callback(),
  );
  // The response of each connection's request under way, for `answerClientError`.
  const pending = new Map<Duplex, Exchange>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const exchange = { request, response };
    pending.set(socket, exchange);
    response.once('close', () => {
      if (pending.get(socket) === exchange) pending.delete(socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, pending, options.onClientError));
  return server;
};
