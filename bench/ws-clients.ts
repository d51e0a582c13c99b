/**
 * The WebSocket clients, in a process of their own (forked by the harness, driven over IPC), so
 * that a thousand sockets' frames are not parsed on the event loop that sends and times requests.
 * Each logical client keeps its stream position and everything it received across reconnects.
 *
 * Delivery latency: every text the harness sends carries `@t=<ms>` (performance.timeOrigin +
 * performance.now(), the same clock in both processes), read back here on arrival.
 */
import WebSocket from 'ws';

interface Position {
  readonly epoch: string;
  readonly offset: number;
}

interface Received {
  readonly type: string;
  /** Its place in the user's stream; null for a delta, which has none (never replayed). */
  readonly offset: number | null;
  /** The message id of a message event, else null. */
  readonly messageId: number | null;
  /** What the event carries to time and order: a message's text, or a delta's. */
  readonly text: string;
  readonly latencyMs: number | null;
}

interface Client {
  readonly group: string;
  readonly token: string;
  socket: WebSocket | null;
  position: Position | null;
  readonly received: Received[];
  /** Of the last `ready`: whether the replay was complete. */
  recovered: boolean | null;
}

export type WsCommand =
  | { readonly cmd: 'connect'; readonly url: string; readonly groups: ReadonlyArray<{ readonly group: string; readonly token: string; readonly count: number }> }
  | { readonly cmd: 'drop' }
  | { readonly cmd: 'report'; readonly expected: Readonly<Record<string, readonly number[]>> }
  | { readonly cmd: 'events' }
  | { readonly cmd: 'close' };

export interface WsReport {
  readonly clients: number;
  readonly deliveries: number;
  readonly latencies: readonly number[];
  /** Clients whose message ids are not exactly the expected ones, in order, each once. */
  readonly wrong: number;
  readonly missing: number;
  readonly doubled: number;
  /** Clients whose offsets are not consecutive. */
  readonly gaps: number;
}

const now = (): number => performance.timeOrigin + performance.now();
const STAMP = /@t=(\d+(?:\.\d+)?)/;

let url = '';
let clients: Client[] = [];

const open = (client: Client): Promise<void> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    client.socket = socket;
    let ready = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: client.token, since: client.position })));
    socket.on('message', (data: Buffer) => {
      const arrived = now();
      const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (frame['type'] === 'ready') {
        client.recovered = frame['recovered'] === true;
        client.position = { epoch: String(frame['epoch']), offset: Number(frame['offset']) };
        ready = true;
        resolve();
        return;
      }
      const delta = frame['type'] === 'message.delta';
      if (typeof frame['offset'] !== 'number' && !delta) return;
      const offset = typeof frame['offset'] === 'number' ? frame['offset'] : null;
      if (offset !== null) client.position = { epoch: String(frame['epoch']), offset };
      const message = frame['message'] as { id?: number; text?: string } | undefined;
      // A delta carries the appended text itself; a message event the whole message.
      const text = delta ? String(frame['text']) : (message?.text ?? '');
      const stamp = STAMP.exec(text);
      client.received.push({
        type: String(frame['type']),
        offset,
        messageId: typeof message?.id === 'number' && frame['type'] === 'message.created' ? message.id : null,
        text,
        latencyMs: stamp ? arrived - Number(stamp[1]) : null,
      });
    });
    socket.on('error', (error) => {
      if (!ready) reject(error);
    });
    socket.on('close', (code) => {
      if (!ready) reject(new Error(`closed with ${code} before ready`));
    });
  });

/** All of them, at most 100 handshakes in flight (a burst of a thousand SYNs overflows loopback's backlog). */
const openAll = async (targets: readonly Client[]): Promise<void> => {
  const queue = [...targets];
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      for (let client = queue.shift(); client !== undefined; client = queue.shift()) await open(client);
    }),
  );
};

const closeAll = (): void => {
  for (const client of clients) client.socket?.terminate();
};

const report = (expected: Readonly<Record<string, readonly number[]>>): WsReport => {
  let wrong = 0;
  let missing = 0;
  let doubled = 0;
  let gaps = 0;
  const latencies: number[] = [];
  let deliveries = 0;
  for (const client of clients) {
    deliveries += client.received.length;
    for (const event of client.received) if (event.latencyMs !== null) latencies.push(event.latencyMs);
    const offsets = client.received.flatMap((event) => (event.offset === null ? [] : [event.offset]));
    for (let i = 1; i < offsets.length; i += 1) if (offsets[i] !== offsets[i - 1]! + 1) gaps += 1;
    const want = expected[client.group];
    if (want === undefined) continue;
    const got = client.received.flatMap((event) => (event.messageId === null ? [] : [event.messageId]));
    const seen = new Set(got);
    missing += want.filter((id) => !seen.has(id)).length;
    doubled += got.length - seen.size;
    if (got.length !== want.length || got.some((id, i) => id !== want[i])) wrong += 1;
  }
  return { clients: clients.length, deliveries, latencies, wrong, missing, doubled, gaps };
};

const handle = async (command: WsCommand): Promise<unknown> => {
  switch (command.cmd) {
    case 'connect': {
      closeAll();
      url = command.url;
      clients = command.groups.flatMap(({ group, token, count }) =>
        Array.from({ length: count }, (): Client => ({ group, token, socket: null, position: null, received: [], recovered: null })),
      );
      const started = now();
      await openAll(clients);
      return { ms: now() - started };
    }
    case 'drop': {
      // Every connection cut at once, as a network blip or a load balancer's restart would.
      const started = now();
      closeAll();
      for (const client of clients) client.recovered = null;
      await openAll(clients);
      return { ms: now() - started, recovered: clients.filter((client) => client.recovered === true).length };
    }
    case 'report':
      return report(command.expected);
    case 'events':
      return clients.map((client) => client.received.map(({ type, offset, text, latencyMs }) => ({ type, offset, text, latencyMs })));
    case 'close':
      closeAll();
      setTimeout(() => process.exit(0), 100);
      return {};
  }
};

process.on('message', (message: { id: number; command: WsCommand }) => {
  handle(message.command).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
