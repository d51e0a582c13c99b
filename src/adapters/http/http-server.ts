import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { answerClientError, type ClientErrorListener, type Exchange, requestTimeoutError } from './client-error-answer.js';

/** How long a client may take over a request, and keep an idle connection. */
export interface HttpServerTimeouts {
  /** From a request's first byte to the end of its headers. */
  readonly headersMs: number;
  /** From a request's first byte to the end of its body. */
  readonly requestMs: number;
  /** How long a connection may sit idle between requests. */
  readonly keepAliveMs: number;
}

export interface HttpServerOptions {
  readonly timeouts: HttpServerTimeouts;
  readonly onClientError?: ClientErrorListener;
}

/** The node:http server of the app, and the one right way to stop it. */
export interface HttpServer {
  readonly server: Server;
  /**
   * Stops accepting connections and lets the started requests finish: idle connections and ones
   * that have sent nothing close at once, every answer still to come closes its connection, and
   * a request still arriving `drainMs` later is answered 408 (sooner if its own timeout says so).
   * Resolves once every connection is gone; WebSockets and event streams are the caller's to end.
   */
  close(drainMs: number): Promise<void>;
}

/**
 * Node enforces the headers and request timeouts by sweeping its connections on a timer, every
 * 30 s by default, so a 10 s timeout could be 40 s in practice. Half a second keeps the cut close
 * to the configured time; the sweep only visits connections that are mid-request.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 500;

/**
 * The node:http server for the Koa app: slow clients cut by the configured timeouts, and even
 * unparsable or timed-out requests answered in JSON. WebSocket upgrades and event streams are not
 * cut: the request timeout covers receiving a request, and theirs is complete once its headers are in.
 */
export const createHttpServer = (app: Koa, options: HttpServerOptions): HttpServer => {
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
  // Every HTTP connection (an upgraded one belongs to the WebSocket gateway from then on), with
  // the request under way on it, if any.
  const connections = new Set<Socket>();
  const pending = new Map<Duplex, Exchange>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => connections.delete(socket as Socket));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const exchange = { request, response };
    pending.set(socket, exchange);
    response.once('close', () => {
      if (pending.get(socket) === exchange) pending.delete(socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, pending.get(socket), options.onClientError));

  const close = (drainMs: number): Promise<void> => {
    // `server.close()` would also stop Node's sweep for slow requests, and a client trickling its
    // headers or body would then hold the shutdown until it gave up. Closing the listener as the
    // net.Server it is keeps the sweep (its timer is unref'd, so it holds nothing open).
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    for (const socket of connections) {
      const exchange = pending.get(socket);
      if (!exchange) {
        // Nothing asked on it (a browser's preconnect, say): nothing to finish.
        if (socket.bytesRead === 0) socket.destroy();
        continue;
      }
      const { response } = exchange;
      if (!response.headersSent) {
        response.setHeader('Connection', 'close');
        continue;
      }
      // Too late to say so in a header (an event stream, which its owner ends): the connection is
      // ended once the response is done, or it would idle until the keep-alive timeout.
      if (response.writableFinished) socket.end();
      else response.once('finish', () => socket.end());
    }
    server.closeIdleConnections();
    const drain = setTimeout(() => {
      for (const socket of connections) {
        const exchange = pending.get(socket);
        if (!exchange || !exchange.request.complete) answerClientError(requestTimeoutError(), socket, exchange, options.onClientError);
      }
    }, drainMs);
    drain.unref();
    return closed.finally(() => clearTimeout(drain));
  };

  return { server, close };
};
