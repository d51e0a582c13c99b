import { MESSAGE_MAX_CHARS_DEFAULT } from '../../src/configuration/app-config.schema.js';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'inversify';
import { UserRepository } from '../../src/application/ports/user-repository.port.js';
import type { Persistence } from '../../src/adapters/persistence/persistence.js';
import { parseConfig, type AppConfig, type DatabaseConfig } from '../../src/config.js';
import {
  CounterStoreToken,
  createContainer,
  EventStreamsToken,
  HttpServerToken,
  openPersistence,
  RealtimeConnectionsToken,
  UseCasesToken,
  WebSocketGatewayToken,
  type PortOverrides,
} from '../../src/container.js';
import { createApiRouter } from '../../src/adapters/http/http-app.js';
import { createMySqlTestDatabase, type MySqlTestDatabase } from './mysql-test-database.js';
import { TcpProxy } from './tcp-proxy.js';

export type TestDatabase = 'memory' | 'sqlite' | 'mysql';

export interface TestServerOptions {
  readonly database: TestDatabase;
  /** Environment variables on top of the test defaults (`BODY_LIMIT`, `ACCESS_TOKEN_TTL`, ...). */
  readonly env?: Record<string, string>;
  /** Ports served by the test's own adapters (a failing event publisher, say). */
  readonly overrides?: PortOverrides;
  /**
   * MySQL only: the application (migrations included) reaches the database through a `TcpProxy`
   * the test can cut or turn into a black hole (`TestServer.proxy`).
   */
  readonly throughProxy?: boolean;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:<port>/ws`. */
  readonly wsUrl: string;
  readonly config: AppConfig;
  readonly container: Container;
  readonly persistence: Persistence;
  /** The container's account repository, for what the API cannot do (disabling an account). */
  readonly users: UserRepository;
  /** The proxy between the application and MySQL, when `throughProxy` asked for one. */
  readonly proxy: TcpProxy | null;
  close(): Promise<void>;
}

const sqliteDatabase = (): { database: DatabaseConfig; remove: () => Promise<void> } => {
  const path = join(tmpdir(), `chat-http-test-${randomBytes(8).toString('hex')}.sqlite`);
  return {
    database: { kind: 'sqlite', path },
    // The journal files SQLite may leave next to the database go with it.
    remove: async () => {
      await Promise.all(['', '-journal', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));
    },
  };
};

const listen = (server: Server): Promise<AddressInfo> =>
  new Promise((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', failed);
      listening(server.address() as AddressInfo);
    });
  });

/**
 * The whole application as the server composes it (config → persistence, migrated → container →
 * Koa app), listening on an ephemeral loopback port, over a database of its own that `close`
 * removes: a temporary SQLite file, a fresh MySQL database on `TEST_MYSQL_URL`'s server, or memory.
 */
export const startTestServer = async (options: TestServerOptions): Promise<TestServer> => {
  const base = parseConfig({
    NODE_ENV: 'test',
    JWT_SECRET_KEY: randomBytes(48).toString('base64url'),
    BCRYPT_ROUNDS: '4',
    // Every test registers from the one loopback address; the limit has tests of its own that set it.
    REGISTRATIONS_PER_ADDRESS: '1000000',
    ...options.env,
  });

  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async (): Promise<void> => {
    // Last acquired, first released; every step runs even if an earlier one fails.
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'closing the test server failed');
  };

  try {
    if (options.throughProxy && options.database !== 'mysql') throw new Error('throughProxy needs the mysql database');
    let database: DatabaseConfig;
    let proxy: TcpProxy | null = null;
    if (options.database === 'memory') {
      database = { kind: 'memory' };
    } else if (options.database === 'sqlite') {
      const sqlite = sqliteDatabase();
      cleanups.push(sqlite.remove);
      database = sqlite.database;
    } else {
      // The pool settings of `env` (DB_POOL_MIN, DB_ACQUIRE_TIMEOUT_MS, ...) apply, as in the server.
      const mysql: MySqlTestDatabase = await createMySqlTestDatabase({}, options.env);
      cleanups.push(() => mysql.drop());
      database = mysql.options;
      if (options.throughProxy) {
        const cut = new TcpProxy(mysql.options.host, mysql.options.port);
        await cut.start();
        proxy = cut;
        database = { ...mysql.options, host: '127.0.0.1', port: cut.port };
      }
    }
    const config: AppConfig = { ...base, database };

    const persistence = await openPersistence(config.database, { migrate: true });
    // Closing twice (a test that closed it to simulate an outage) must not fail the cleanup.
    let persistenceOpen = true;
    const closePersistence = async (): Promise<void> => {
      if (!persistenceOpen) return;
      persistenceOpen = false;
      await persistence.close();
    };
    cleanups.push(closePersistence);
    // Stopped before the pool closes: a pool holding black-holed connections could wait on them.
    if (proxy) cleanups.push(() => proxy.stop());

    const container = createContainer(config, persistence, options.overrides);
    const streams = container.get(EventStreamsToken);
    await streams.start();
    cleanups.push(() => streams.close());
    const counters = container.get(CounterStoreToken);
    await counters.start();
    cleanups.push(() => counters.close());
    const { server } = container.get(HttpServerToken);
    const gateway = container.get(WebSocketGatewayToken);
    gateway.attach(server);
    // Keep-alive sockets would hold `server.close` open; they are ended on close.
    const sockets = new Set<Socket>();
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    const address = await listen(server);
    cleanups.push(
      () =>
        new Promise<void>((closed, failed) => {
          server.close((error) => (error ? failed(error) : closed()));
          for (const socket of sockets) socket.destroy();
        }),
    );
    cleanups.push(() => gateway.close());

    return {
      baseUrl: `http://127.0.0.1:${address.port}`,
      wsUrl: `ws://127.0.0.1:${address.port}/ws`,
      config,
      container,
      persistence: { ...persistence, close: closePersistence },
      users: container.get<UserRepository>(UserRepository),
      proxy,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
};

/** The root router as the container's app has it, for tests that hold its routes against the document. */
export const apiRouterOf = (container: Container) =>
  createApiRouter({
    useCases: container.get(UseCasesToken),
    readiness: {},
    version: 'test',
    messageMaxChars: MESSAGE_MAX_CHARS_DEFAULT,
    realtime: { streams: container.get(EventStreamsToken), connections: container.get(RealtimeConnectionsToken), keepAliveMs: 15_000 },
  });
