import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { API_CSP } from './middleware/security-headers.middleware.js';

const PROBLEMS: Record<string, { status: number; error: string; code: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, error: 'Request headers too large', code: 'headers_too_large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, error: 'Request timeout', code: 'request_timeout' },
};
const MALFORMED = { status: 400, error: 'Malformed HTTP request', code: 'bad_request' };

/**
 * Node answers a request it cannot parse (a request line or headers over 16 KB, a broken request
 * line) before Koa sees it, with no body. This answers in the API's error shape instead, so every
 * response a client can get is JSON.
 */
const answerClientError = (error: NodeJS.ErrnoException, socket: Duplex): void => {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const { status, error: message, code } = PROBLEMS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: message, code });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Security-Policy: ${API_CSP}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
};

/** The node:http server for the Koa app, answering even unparsable requests in JSON. */
export const createHttpServer = (app: Koa): Server => {
  const server = createServer(app.callback());
  server.on('clientError', answerClientError);
  return server;
};
