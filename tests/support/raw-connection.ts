import { connect, type Socket } from 'node:net';

/** What a raw connection received by the time the server closed it, and when. */
export interface RawExchange {
  /** Everything the server sent, as latin1 text. */
  readonly text: string;
  /** Milliseconds from the connection to the server's close. */
  readonly closedAfterMs: number;
  /** `performance.now()` at the close. */
  readonly closedAt: number;
}

export interface RawConnection {
  readonly socket: Socket;
  /** Resolves once connected. */
  readonly connected: Promise<void>;
  /** Resolves when the connection is closed (by either side), with all it received. */
  readonly closed: Promise<RawExchange>;
  /** Writes `chunk` every `everyMs` until the connection closes (a client that trickles). */
  trickle(chunks: readonly string[], everyMs: number): void;
}

/**
 * A TCP connection to a test server that writes exactly what a test says, when it says, and
 * records what comes back: for clients no HTTP library would imitate (headers that never end, a
 * body that never arrives).
 */
export const openRawConnection = (baseUrl: string): RawConnection => {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  const started = performance.now();
  let text = '';
  let trickling: NodeJS.Timeout | undefined;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  // A reset after the server's answer is still an end of the connection, not a test failure.
  socket.on('error', () => undefined);
  const closed = new Promise<RawExchange>((resolve) => {
    socket.once('close', () => {
      clearInterval(trickling);
      const closedAt = performance.now();
      resolve({ text, closedAfterMs: closedAt - started, closedAt });
    });
  });
  return {
    socket,
    connected: new Promise((resolve) => socket.once('connect', () => resolve())),
    closed,
    trickle: (chunks, everyMs) => {
      let next = 0;
      trickling = setInterval(() => {
        if (socket.destroyed) return;
        socket.write(chunks[next % chunks.length] ?? '');
        next += 1;
      }, everyMs);
    },
  };
};

/** An HTTP/1.1 answer read off the wire: status, lower-cased headers, the body as text. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Parses the first answer in `text` (assumed whole: the server closed after it). */
export const parseAnswer = (text: string): RawAnswer => {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`no complete HTTP answer in ${JSON.stringify(text.slice(0, 500))}`);
  const [statusLine = '', ...headerLines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
};
