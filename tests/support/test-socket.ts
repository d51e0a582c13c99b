import { WebSocket } from 'ws';
import { Collector } from './frame-collector.js';

// A frame is whatever the server sent; the tests assert its shape, so it is read untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = any;

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** A WebSocket client as a test drives it: every frame collected, the close awaited. */
export class TestSocket {
  readonly frames = new Collector<Frame>();
  readonly closed: Promise<Closed>;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    ws.on('error', () => undefined);
  }

  /** Connects to `url` (the server's `/ws`), without authenticating. */
  static open(url: string): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    });
  }

  /** Connects, sends the auth frame and waits for `ready`. */
  static async connect(url: string, token: string, since?: { epoch: string; offset: number }): Promise<TestSocket> {
    const socket = await TestSocket.open(url);
    socket.send({ type: 'auth', token, ...(since ? { since } : {}) });
    await socket.ready();
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The `ready` frame, once it has come. */
  async ready(timeoutMs = 5_000): Promise<Frame> {
    const frames = await this.frames.until((items) => items.some((frame) => frame.type === 'ready'), timeoutMs, 'ready');
    return frames.find((frame) => frame.type === 'ready');
  }

  /** The stream events received so far (not ready, pong, error or control frames). */
  events(): Frame[] {
    return this.frames.items.filter((frame) => typeof frame.offset === 'number' && frame.type !== 'ready');
  }

  /** Waits until `count` stream events have come, and returns them. */
  async eventsUntil(count: number, timeoutMs = 5_000): Promise<Frame[]> {
    await this.frames.until((items) => items.filter((frame) => typeof frame.offset === 'number' && frame.type !== 'ready').length >= count, timeoutMs, `${count} events`);
    return this.events();
  }

  /** Resolves with the close, or rejects if it does not come in time. */
  async closedWithin(timeoutMs = 5_000): Promise<Closed> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the socket was not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}

/** An event-stream client: each event parsed from `text/event-stream` as it arrives. */
export interface SseEvent {
  readonly id: string | null;
  readonly event: string;
  readonly data: Frame;
}

export interface TestEventStream {
  readonly status: number;
  readonly headers: Headers;
  /** The JSON body of an answer that is not a stream (an error), else null. */
  readonly body: Frame;
  readonly events: Collector<SseEvent>;
  /** Every comment line (`: …`) received. */
  readonly comments: Collector<string>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export const openEventStream = async (url: string, token: string, headers: Record<string, string> = {}): Promise<TestEventStream> => {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, ...headers }, signal: abort.signal });
  const events = new Collector<SseEvent>();
  const comments = new Collector<string>();
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
  const body: Frame = isStream ? null : JSON.parse((await response.text()) || 'null');
  const read = async (): Promise<void> => {
    if (!response.body || !isStream) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | null = null;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ id, event, data: JSON.parse(data.join('\n')) as Frame });
        }
      }
    } catch {
      // Aborted by the test, or cut by the server: both simply end the stream.
    }
  };
  return {
    status: response.status,
    headers: response.headers,
    body,
    events,
    comments,
    ended: read(),
    close: () => abort.abort(),
  };
};
