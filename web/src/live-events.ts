import type { AuthSession } from './auth-session.js';
import type { ChangeEvent, LiveFrame, StreamPosition } from './types.js';

/** What the connection is doing, as the page shows it. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'degraded';

export interface LiveEventsOptions {
  readonly auth: AuthSession;
  /** Every change, replayed ones first after a reconnect, then live ones, in stream order. */
  readonly onChange: (event: ChangeEvent) => void;
  /** The replay is done; `recovered: false` means events may be missing: reload through REST. */
  readonly onReady: (recovered: boolean) => void;
  readonly onState: (state: LiveState) => void;
}

const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_TOO_MANY = 1008;
/** How often the client asks for a pong: a connection that died silently (Wi-Fi gone) is noticed. */
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 8_000;
const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000];

/**
 * The user's live stream over `/ws`, resumed after every drop from the last position seen
 * (`since`), so the events missed while away arrive before `ready`. Deltas of streamed answers
 * carry no position and are not replayed: the app reads those messages again after a reconnect.
 */
export class LiveEvents {
  private socket: WebSocket | null = null;
  private since: StreamPosition | null = null;
  private attempt = 0;
  private stopped = true;
  private retry: number | undefined;
  private ping: number | undefined;
  private pongDeadline: number | undefined;

  constructor(private readonly options: LiveEventsOptions) {
    window.addEventListener('offline', () => this.drop());
    window.addEventListener('online', () => {
      if (this.stopped || this.socket) return;
      window.clearTimeout(this.retry);
      this.attempt = 0;
      void this.connect();
    });
  }

  start(): void {
    this.stopped = false;
    this.since = null;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retry);
    this.stopHeartbeat();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'signed out');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onState(this.since === null ? 'connecting' : 'reconnecting');
    const token = await this.options.auth.accessToken();
    if (token === null || this.stopped) return;
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token, since: this.since }));
    socket.onmessage = (message: MessageEvent<string>) => this.receive(JSON.parse(message.data) as LiveFrame);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      if (!this.stopped) void this.reconnect(event.code);
    };
  }

  private async reconnect(code: number): Promise<void> {
    this.options.onState('reconnecting');
    if (code === CLOSE_UNAUTHENTICATED) {
      // The token was refused or the login ended: a refresh tells which (refused, it signs out).
      if (await this.options.auth.refresh()) {
        this.attempt = 0;
        return this.connect();
      }
      // Signed out; otherwise the refresh got no answer, and the connection is tried again below.
      if (this.options.auth.user === null) return;
    }
    if (!navigator.onLine) return; // the 'online' event reconnects
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 10_000;
    // Too many connections: another tab holds them; trying fast would not help.
    const wait = code === CLOSE_TOO_MANY ? 10_000 : base + Math.random() * base * 0.3;
    this.attempt += 1;
    this.retry = window.setTimeout(() => void this.connect(), wait);
  }

  private receive(frame: LiveFrame): void {
    window.clearTimeout(this.pongDeadline);
    switch (frame.type) {
      case 'ready':
        this.since = { epoch: frame.epoch, offset: frame.offset };
        this.attempt = 0;
        this.startHeartbeat();
        this.options.onState('live');
        this.options.onReady(frame.recovered);
        return;
      case 'degraded':
        this.options.onState('degraded');
        return;
      case 'resync':
        this.options.onState('live');
        this.options.onReady(false);
        return;
      case 'pong':
      case 'error':
        return;
      default:
        if ('offset' in frame) this.since = { epoch: frame.epoch, offset: frame.offset };
        this.options.onChange(frame);
    }
  }

  /**
   * Gives up on the socket now, without waiting for its close handshake: with the network gone
   * that would take as long as TCP takes to notice, and the page would claim to be live meanwhile.
   */
  private drop(): void {
    const socket = this.socket;
    if (socket === null || this.stopped) return;
    this.socket = null;
    this.stopHeartbeat();
    socket.close();
    void this.reconnect(0);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.ping = window.setInterval(() => {
      const socket = this.socket;
      if (socket?.readyState !== WebSocket.OPEN) return;
      socket.send('{"type":"ping"}');
      window.clearTimeout(this.pongDeadline);
      this.pongDeadline = window.setTimeout(() => this.drop(), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  private stopHeartbeat(): void {
    window.clearInterval(this.ping);
    window.clearTimeout(this.pongDeadline);
  }
}
