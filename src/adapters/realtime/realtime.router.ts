import { PassThrough } from 'node:stream';
import type Router from '@koa/router';
import { createRouter } from '../http/routers/create-router.js';
import * as v from 'valibot';
import type { Authenticate } from '../../application/auth/authenticate.use-case.js';
import { invalidToken, RateLimitedError, ValidationError } from '../../domain/domain-error.js';
import type { HttpState } from '../http/http-state.js';
import { requirePrincipal } from '../http/middleware/require-principal.middleware.js';
import { principalOf } from '../http/request-input.js';
import { HttpProblem } from '../http/http-problem.js';
import { streamPositionSchema } from './stream-position.schema.js';
import { MAX_BUFFERED_BYTES, WEBSOCKET_PATH } from './websocket-gateway.js';
import type { EventStreams, StreamSubscription } from './event-streams.js';
import type { RealtimeConnection, RealtimeConnections } from './realtime-connections.js';
import { isStreamEvent, type StreamFrame, type StreamPosition } from './stream-frame.js';

export interface RealtimeRouterOptions {
  readonly authenticate: Authenticate;
  readonly streams: EventStreams;
  readonly connections: RealtimeConnections;
  /** How often a comment line goes out, so that proxies do not close a quiet stream. */
  readonly keepAliveMs: number;
  /** How much may wait to be sent to one client before it counts as not reading. */
  readonly maxBufferedBytes?: number;
}

/** How long a browser's `EventSource` waits before it reconnects by itself. */
const RETRY_MS = 2_000;

/** `Last-Event-ID: <epoch>:<offset>` as a position, null when absent; anything else is refused. */
export const positionOf = (lastEventId: string): StreamPosition | null => {
  if (lastEventId.trim() === '') return null;
  const match = /^(.*):(\d+)$/.exec(lastEventId.trim());
  const parsed = match ? v.safeParse(streamPositionSchema, { epoch: match[1], offset: Number(match[2]) }) : null;
  if (!parsed?.success) throw new ValidationError(['Last-Event-ID: must be <epoch>:<offset>, as an event id of this stream']);
  return parsed.output;
};

/** One frame as an event: `id` on everything that has a position, so a reconnect resumes from it. */
export const eventText = (frame: StreamFrame): string => {
  const id = isStreamEvent(frame) || frame.type === 'ready' ? `id: ${frame.epoch}:${frame.offset}\n` : '';
  return `${id}event: ${frame.type}\ndata: ${JSON.stringify(frame)}\n\n`;
};

/**
 * The HTTP routes of real time. `GET /events` is the user's stream as Server-Sent Events, for
 * clients that only need to listen (`curl -N`, an `EventSource` behind a proxy that sets the
 * header): from the same streams as the WebSocket gateway, under the same per-user cap, ended
 * when the login ends. `GET /ws` without an upgrade is told what it is missing.
 */
export const createRealtimeRouter = (options: RealtimeRouterOptions): Router<HttpState> => {
  const router = createRouter();
  const maxBuffered = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;

  router.get(WEBSOCKET_PATH, (ctx) => {
    ctx.set('Upgrade', 'websocket');
    throw new HttpProblem(426, 'This is a WebSocket endpoint: connect with Upgrade: websocket', 'upgrade_required');
  });

  router.get('/events', requirePrincipal(options.authenticate), async (ctx) => {
    const { userId, loginId } = principalOf(ctx);
    const since = positionOf(ctx.get('Last-Event-ID'));
    const body = new PassThrough();
    let subscription: StreamSubscription | null = null;
    let keepAlive: NodeJS.Timeout | undefined;

    const finish = (): void => {
      clearInterval(keepAlive);
      subscription?.close();
      options.connections.remove(connection);
      if (!body.writableEnded) body.end();
    };
    let live = false;
    const write = (text: string): void => {
      if (body.writableEnded) return;
      // Whatever the socket has not taken yet, in this stream and in the response under it; the
      // replay is exempt (bounded by the history, and a cut replay could never be resumed), and
      // with nothing waiting an event goes out however large (one long message is no backlog).
      const waiting = body.writableLength + ctx.res.writableLength;
      if (live && waiting > 0 && waiting + Buffer.byteLength(text) > maxBuffered) {
        ctx.state.log.warn({ userId }, 'ending an event stream that does not read');
        finish();
        ctx.res.destroy();
        return;
      }
      body.write(text);
    };
    const connection: RealtimeConnection = { transport: 'event_stream', userId, loginId, close: finish };

    const admission = options.connections.admit(connection);
    if (admission === 'login_ended') throw invalidToken();
    if (admission === 'too_many') throw new RateLimitedError(5, 'Too many connections for this user');
    // Before subscribing: a client that leaves while the replay is read must still be let go.
    ctx.req.once('close', finish);
    ctx.res.once('close', finish);
    write(`retry: ${RETRY_MS}\n\n`);
    try {
      subscription = await options.streams.subscribe(
        userId,
        (frame) => {
          if (frame.type === 'resync') void options.connections.confirm(connection);
          write(eventText(frame));
        },
        { since },
      );
    } catch (error) {
      finish();
      throw error;
    }
    live = true;
    if (body.writableEnded) subscription.close();
    else keepAlive = setInterval(() => write(': keep-alive\n\n'), options.keepAliveMs);

    ctx.status = 200;
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-store');
    // Tells nginx and the like not to buffer the stream.
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = body;
  });

  return router;
};
