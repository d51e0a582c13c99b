import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_CSP } from './middleware/security-headers.middleware.js';

/** A request under way on a connection, with its response. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

/** What the server tells of the requests it refuses before the app sees them (for metrics). */
export type ClientErrorListener = (code: string) => void;

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

/** The error Node reports for a request that did not arrive in time, for cutting one ourselves. */
export const requestTimeoutError = (): NodeJS.ErrnoException =>
  Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });

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
export const answerClientError = (
  error: NodeJS.ErrnoException,
  socket: Duplex,
  exchange: Exchange | undefined,
  onClientError?: ClientErrorListener,
): void => {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const problem = PROBLEMS[error.code ?? ''] ?? MALFORMED;
  onClientError?.(problem.code);
  const body = JSON.stringify({ error: problem.error, code: problem.code });
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
