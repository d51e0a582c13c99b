import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One client connection and, while traffic passes, the connection to the target it is piped to. */
interface Link {
  readonly client: Socket;
  upstream: Socket | null;
}

/**
 * A TCP proxy a test can cut: `stop` closes the listener and kills every open connection (the
 * database is "gone": new connections are refused), `blackHole` keeps accepting connections but
 * never answers on any of them, old or new (a network partition, a frozen server), and `start`
 * lets traffic through again on the same port.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private mode: 'pass' | 'black-hole' = 'pass';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens (on the same port as before, if it listened before) and passes traffic through. */
  async start(): Promise<void> {
    // Connections swallowed by a black hole lost bytes both ways: no protocol can resume on them.
    if (this.mode === 'black-hole') this.dropAll();
    this.mode = 'pass';
    await this.listen();
  }

  /** Refuses new connections and destroys the open ones. */
  async stop(): Promise<void> {
    this.dropAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Accepts connections but never answers: what a client sends is read and dropped, nothing comes
   * back, and the open connections stay open, silent, exactly like the new ones. Only a client's
   * own timeout gets it out.
   */
  async blackHole(): Promise<void> {
    this.mode = 'black-hole';
    for (const link of this.links) this.swallow(link);
    await this.listen();
  }

  /** How many client connections are open now (passing or swallowed). */
  get openConnections(): number {
    return this.links.size;
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (typeof address === 'object' && address) this.port = address.port;
    this.server = server;
  }

  private accept(client: Socket): void {
    const link: Link = { client, upstream: null };
    this.links.add(link);
    client.on('error', () => undefined);
    client.on('close', () => {
      this.links.delete(link);
      link.upstream?.destroy();
    });
    if (this.mode === 'black-hole') {
      this.swallow(link);
      return;
    }
    const upstream = createConnection(this.targetPort, this.targetHost);
    link.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      // A swallowed client stays open: its upstream going away must not tell it anything.
      if (link.upstream === upstream) client.destroy();
    });
    client.pipe(upstream).pipe(client);
  }

  private swallow(link: Link): void {
    const { client, upstream } = link;
    link.upstream = null;
    if (upstream) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      upstream.destroy();
    }
    client.on('data', () => undefined);
    client.resume();
  }

  private dropAll(): void {
    for (const link of this.links) {
      link.upstream?.destroy();
      link.client.destroy();
    }
    this.links.clear();
  }
}
