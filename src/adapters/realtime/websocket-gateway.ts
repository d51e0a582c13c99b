import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type ServerOptions, type WebSocket } from 'ws';
import type { Authenticate } from '../../application/auth/authenticate.use-case.js';
import type { Principal } from '../../application/auth/principal.js';
import { DomainError } from '../../domain/domain-error.js';
import { API_CSP } from '../http/middleware/security-headers.middleware.js';
import { parseAuthFrame } from './client-frames.js';
import type { EventStreams, StreamSubscription } from './event-streams.js';
import type { CloseReason, RealtimeConnections } from './realtime-connections.js';
import type { StreamFrame } from './stream-frame.js';

/** The close codes of API.md, "Real time". */
export const CloseCode = {
  shuttingDown: 1001,
  policy: 1008,
  tooLarge: 1009,
  internal: 1011,
  tryAgainLater: 1013,
  unauthenticated: 4401,
} as const;

export interface WebSocketGatewayOptions {
  readonly authenticate: Authenticate;
  readonly streams: EventStreams;
  readonly connections: RealtimeConnections;
  readonly logger: Logger;
  /** How long a connection may go without a valid `auth` frame. */
  readonly authTimeoutMs?: number;
  /** How often the server pings; a peer that has not answered the previous ping is dropped. */
  readonly pingIntervalMs: number;
  /** The largest frame a client may send. */
  readonly maxFrameBytes?: number;
  /** How much may wait to be sent to one client before it counts as not reading. */
  readonly maxBufferedBytes?: number;
}

export const WEBSOCKET_PATH = '/ws';
/** The largest frame a client may send (API.md: 1009 above it). */
export const MAX_CLIENT_FRAME_BYTES = 4 * 1024;
/** How much may wait to be sent to one client before it counts as not reading (1013 above it). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How long a new connection may take to send a valid `auth` frame (4401 after it). */
export const AUTH_TIMEOUT_MS = 5_000;

/** Each frame is serialized once, however many connections it goes to. */
const serialized = new WeakMap<StreamFrame, string>();
const serialize = (frame: StreamFrame): string => {
  let json = serialized.get(frame);
  if (json === undefined) serialized.set(frame, (json = JSON.stringify(frame)));
  return json;
};

const refuseUpgrade = (socket: Duplex, status: number, reason: string, error: string, code: string): void => {
  const body = JSON.stringify({ error, code });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nContent-Security-Policy: ${API_CSP}\r\nConnection: close\r\n\r\n${body}`,
  );
};

/**
 * The WebSocket side of real time, on the HTTP server's own port at `/ws`: authenticates the
 * first frame through the `Authenticate` use case, replays from the position it names, then
 * forwards the user's stream. It keeps every limit of API.md: the auth deadline, heartbeats, the
 * frame size, the per-user cap (through `RealtimeConnections`) and the send buffer of a client
 * that does not read.
 */
export class WebSocketGateway {
  private readonly server: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly alive = new WeakSet<WebSocket>();
  private closing = false;

  constructor(private readonly options: WebSocketGatewayOptions) {
    const serverOptions: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      maxPayload: options.maxFrameBytes ?? MAX_CLIENT_FRAME_BYTES,
      // A client that stopped reading never answers a close frame either: give up on it sooner
      // than the default 30 s (the option exists since ws 8.19; its types lag behind).
      closeTimeout: 10_000,
    };
    this.server = new WebSocketServer(serverOptions);
    this.heartbeat = setInterval(() => this.beat(), options.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** Takes the upgrade requests of `server`: `/ws` becomes a connection, any other path a 404. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const path = (request.url ?? '').split('?')[0];
      if (path !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found', 'Not found', 'route_not_found');
      if (this.closing) return refuseUpgrade(socket, 503, 'Service Unavailable', 'Server is shutting down', 'unavailable');
      this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  /** Bytes waiting to be sent, over every socket: bounded, however slowly clients read. */
  get bufferedBytes(): number {
    let total = 0;
    for (const ws of this.sockets) total += ws.bufferedAmount;
    return total;
  }

  /** Closes every socket with 1001 and stops taking new ones; ends those that do not answer soon. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const ws of this.sockets) ws.close(CloseCode.shuttingDown, 'server shutting down');
    const deadline = Date.now() + 2_000;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.alive.add(ws);
    const log = this.options.logger;
    let principal: Principal | null = null;
    let subscription: StreamSubscription | null = null;
    // Read through a function: TypeScript would otherwise narrow it across the awaits below.
    let stage: 'auth' | 'opening' | 'open' | 'closed' = 'auth';
    const isClosed = (): boolean => stage === 'closed';
    const connection = {
      transport: 'websocket' as const,
      userId: '',
      loginId: '',
      close: (reason: CloseReason) =>
        end(reason === 'shutdown' ? CloseCode.shuttingDown : CloseCode.unauthenticated, reason === 'shutdown' ? 'server shutting down' : 'login ended'),
    };

    // Delivery stops at once; the socket itself goes once the close handshake is done (or times out).
    const release = (): void => {
      stage = 'closed';
      clearTimeout(authDeadline);
      subscription?.close();
      this.options.connections.remove(connection);
    };
    const end = (code: number, reason: string): void => {
      if (stage === 'closed') return;
      release();
      ws.close(code, reason);
    };
    const send = (frame: StreamFrame | Record<string, unknown>): void => {
      if (stage === 'closed') return;
      if (frame.type === 'resync') void this.options.connections.confirm(connection);
      const json = serialize(frame as StreamFrame);
      // The replay is exempt: it is bounded by the history, and cutting it would leave a client
      // that missed much unable ever to resume. The limit is for a client that stopped reading:
      // with nothing waiting, a frame goes out however large (one long message is no backlog).
      const waiting = ws.bufferedAmount;
      if (stage === 'open' && waiting > 0 && waiting + Buffer.byteLength(json) > (this.options.maxBufferedBytes ?? MAX_BUFFERED_BYTES)) {
        log.warn({ userId: principal?.userId }, 'closing a WebSocket that does not read');
        end(CloseCode.tryAgainLater, 'send buffer full');
        return;
      }
      ws.send(json);
    };
    const refuse = (code: number, reason: string, error: Record<string, unknown>): void => {
      send({ type: 'error', ...error });
      end(code, reason);
    };

    const authDeadline = setTimeout(
      () => refuse(CloseCode.unauthenticated, 'authentication timeout', { error: 'No auth frame in time', code: 'auth_timeout' }),
      this.options.authTimeoutMs ?? AUTH_TIMEOUT_MS,
    );

    const open = async (data: string): Promise<void> => {
      stage = 'opening';
      clearTimeout(authDeadline);
      const parsed = parseAuthFrame(data);
      if ('details' in parsed) {
        return refuse(CloseCode.unauthenticated, 'first frame must be auth', {
          error: 'Validation failed',
          code: 'validation_failed',
          details: parsed.details,
        });
      }
      try {
        principal = await this.options.authenticate.execute({ accessToken: parsed.frame.token });
      } catch (error) {
        if (error instanceof DomainError && (error.kind === 'unauthenticated' || error.kind === 'forbidden')) {
          return refuse(CloseCode.unauthenticated, 'not authenticated', { error: error.message, code: error.code });
        }
        return this.failed(error, refuse);
      }
      if (isClosed()) return;
      Object.assign(connection, { userId: principal.userId, loginId: principal.loginId });
      const admission = this.options.connections.admit(connection);
      if (admission === 'login_ended') {
        return refuse(CloseCode.unauthenticated, 'not authenticated', { error: 'Invalid or expired token', code: 'invalid_token' });
      }
      if (admission === 'too_many') {
        return refuse(CloseCode.policy, 'too many connections', { error: 'Too many connections for this user', code: 'too_many_connections' });
      }
      try {
        subscription = await this.options.streams.subscribe(principal.userId, send, { since: parsed.frame.since ?? null });
      } catch (error) {
        return this.failed(error, refuse);
      }
      // The socket may have closed while the replay was read.
      if (isClosed()) subscription.close();
      else stage = 'open';
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.alive.add(ws);
      const text = isBinary ? null : data.toString();
      if (stage === 'auth') {
        void open(text ?? '').catch((error: unknown) => this.failed(error, refuse));
        return;
      }
      if (stage !== 'open') return;
      if (text !== null && /^\s*\{\s*"type"\s*:\s*"ping"\s*\}\s*$/.test(text)) send({ type: 'pong' });
      else send({ type: 'error', error: 'Unknown frame: only {"type":"ping"} is accepted here', code: 'unknown_frame' });
    });
    ws.on('pong', () => this.alive.add(ws));
    // `ws` has already answered a protocol error (1009 for a frame over the limit) with its close frame.
    ws.on('error', (error) => log.debug({ err: error }, 'WebSocket error'));
    ws.on('close', () => {
      release();
      this.sockets.delete(ws);
    });
  }

  /** A failure that is not the client's: 1013 while a dependency is unavailable, else 1011. */
  private failed(error: unknown, refuse: (code: number, reason: string, error: Record<string, unknown>) => void): void {
    if (error instanceof DomainError && error.kind === 'unavailable') {
      refuse(CloseCode.tryAgainLater, 'temporarily unavailable', { error: error.message, code: error.code });
      return;
    }
    this.options.logger.error({ err: error }, 'WebSocket connection failed');
    refuse(CloseCode.internal, 'internal error', { error: 'Internal server error', code: 'internal' });
  }

  private beat(): void {
    for (const ws of this.sockets) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
