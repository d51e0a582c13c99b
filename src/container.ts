/**
 * The composition root: the one place that decides which adapter serves each port. The server,
 * the library entry (`createChatBackend`) and the in-memory harness all build their object graph
 * here, so they cannot drift apart.
 */
import { randomBytes } from 'node:crypto';
import { Container, type ServiceIdentifier } from 'inversify';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { ChatSessionRepository } from './application/ports/chat-session-repository.port.js';
import { Clock } from './application/ports/clock.port.js';
import { EventPublisher } from './application/ports/event-publisher.port.js';
import { IdGenerator } from './application/ports/id-generator.port.js';
import { LoginRepository } from './application/ports/login-repository.port.js';
import { MessageRepository } from './application/ports/message-repository.port.js';
import { PasswordHasher } from './application/ports/password-hasher.port.js';
import { CommonPasswordList } from './application/ports/common-password-list.port.js';
import { SecretSealer } from './application/ports/secret-sealer.port.js';
import { TokenIssuer } from './application/ports/token-issuer.port.js';
import { TransactionRunner } from './application/ports/transaction-runner.port.js';
import { UserRepository } from './application/ports/user-repository.port.js';
import { WindowCounters } from './application/ports/window-counters.port.js';
import { createUseCases, type Ports, type UseCases } from './application/use-cases.js';
import type { CountLimitSettings, ThrottleLimits } from './application/throttling/throttle-limits.js';
import { FanOutEventPublisher } from './adapters/events/fan-out.event-publisher.js';
import { RecordingEventPublisher } from './adapters/events/recording.event-publisher.js';
import { createHttpApp } from './adapters/http/http-app.js';
import { createHttpServer, type HttpServer } from './adapters/http/http-server.js';
import type { HttpState } from './adapters/http/http-state.js';
import { createLogger } from './adapters/logging/create-logger.js';
import { MeteredEventStreams } from './adapters/metrics/metered.event-streams.js';
import { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { openMemoryPersistence } from './adapters/persistence/memory/open-memory-persistence.js';
import type { Persistence } from './adapters/persistence/persistence.js';
import { AesGcmSecretSealer } from './adapters/security/aes-gcm.secret-sealer.js';
import { BcryptPasswordHasher } from './adapters/security/bcrypt.password-hasher.js';
import { ZxcvbnCommonPasswordList } from './adapters/security/zxcvbn.common-password-list.js';
import { QueuedPasswordHasher } from './adapters/security/queued.password-hasher.js';
import { JwtTokenIssuer } from './adapters/security/jwt.token-issuer.js';
import { CryptoIdGenerator } from './adapters/system/crypto.id-generator.js';
import { ManualClock } from './adapters/system/manual.clock.js';
import { SystemClock } from './adapters/system/system.clock.js';
import type { EventStreams } from './adapters/realtime/event-streams.js';
import { InProcessEventStreams } from './adapters/realtime/in-process.event-streams.js';
import { RealtimeConnections } from './adapters/realtime/realtime-connections.js';
import { RedisEventStreams } from './adapters/realtime/redis.event-streams.js';
import { WebSocketGateway } from './adapters/realtime/websocket-gateway.js';
import type { CounterStore } from './adapters/throttling/counter-store.js';
import { MemoryWindowCounters } from './adapters/throttling/memory.window-counters.js';
import { RedisWindowCounters } from './adapters/throttling/redis.window-counters.js';
import { parseConfig, type AppConfig, type DatabaseConfig, type RealtimeConfig } from './config.js';
import { APP_VERSION } from './version.js';

/** Tokens for what the container holds besides the ports (which carry their own). */
export const LoggerToken: ServiceIdentifier<Logger> = Symbol.for('chat-backend.Logger');
export const UseCasesToken: ServiceIdentifier<UseCases> = Symbol.for('chat-backend.UseCases');
/** Every port with the adapter serving it, as one object (for the harness to reach past the use cases). */
export const PortsToken: ServiceIdentifier<Ports> = Symbol.for('chat-backend.Ports');
export const HttpAppToken: ServiceIdentifier<Koa<HttpState>> = Symbol.for('chat-backend.HttpApp');
/** The node:http server for the app, with the configured timeouts; not yet listening. */
export const HttpServerToken: ServiceIdentifier<HttpServer> = Symbol.for('chat-backend.HttpServer');
/** Each user's events as a resumable stream: what the WebSocket gateway and `/events` deliver. */
export const EventStreamsToken: ServiceIdentifier<EventStreams> = Symbol.for('chat-backend.EventStreams');
/** The open WebSocket and event-stream connections of this instance. */
export const RealtimeConnectionsToken: ServiceIdentifier<RealtimeConnections> = Symbol.for('chat-backend.RealtimeConnections');
export const WebSocketGatewayToken: ServiceIdentifier<WebSocketGateway> = Symbol.for('chat-backend.WebSocketGateway');
/** The rate limits' counters with their connection, to start before serving and close at the end. */
export const CounterStoreToken: ServiceIdentifier<CounterStore> = Symbol.for('chat-backend.CounterStore');
/** The metrics `METRICS_PORT` serves; null when it is unset (nothing is measured at all then). */
export const MetricsToken: ServiceIdentifier<PrometheusMetrics | null> = Symbol.for('chat-backend.Metrics');

/** The streams the configuration asks for: in Redis when `REDIS_URL` is set, else in process. */
export const createEventStreams = (config: RealtimeConfig, clock: Clock, logger: Logger): EventStreams => {
  const history = { maxEvents: config.historySize, maxAgeMs: config.historyTtlSeconds * 1000, maxBytes: config.historyMaxBytes };
  if (config.redis) return new RedisEventStreams({ ...config.redis, history, clock, logger });
  return new InProcessEventStreams({
    history,
    clock,
    onListenerError: (error) => logger.error({ err: error }, 'a real-time listener failed'),
  });
};

/**
 * The rate limits' counters: in the same Redis as the event streams when `REDIS_URL` is set, so
 * that every instance counts together; else in this process, on the clock everything else uses
 * (rate-limiter-flexible's memory store reads `Date.now()`, which the harness's manual clock
 * could not move, and one memory store serves the harness and a single server alike).
 */
export const createCounterStore = (config: RealtimeConfig, clock: Clock, logger: Logger): CounterStore =>
  config.redis ? new RedisWindowCounters({ ...config.redis, logger }) : new MemoryWindowCounters(clock);

/** Opens the storage the configuration names, migrating it first when asked to. */
export const openPersistence = async (database: DatabaseConfig, options: { migrate: boolean }): Promise<Persistence> => {
  if (database.kind === 'memory') return openMemoryPersistence();
  // Loaded on demand so that in-memory callers (the harness) never load the ORM and its drivers.
  const { openMikroOrmPersistence } = await import('./adapters/persistence/mikro-orm/mikro-orm-persistence.js');
  return openMikroOrmPersistence(database, options);
};

/** The token each port of the use cases is bound to: the one list the container builds `Ports` from. */
const PORT_TOKENS: { readonly [Name in keyof Ports]: ServiceIdentifier<Ports[Name]> } = {
  users: UserRepository,
  logins: LoginRepository,
  sessions: ChatSessionRepository,
  messages: MessageRepository,
  transactions: TransactionRunner,
  hasher: PasswordHasher,
  commonPasswords: CommonPasswordList,
  tokens: TokenIssuer,
  sealer: SecretSealer,
  counters: WindowCounters,
  clock: Clock,
  ids: IdGenerator,
  events: EventPublisher,
};

// Read once per process: every container (a test builds many) shares the same 49,000 entries.
let commonPasswords: CommonPasswordList | undefined;
const commonPasswordList = (): CommonPasswordList => (commonPasswords ??= new ZxcvbnCommonPasswordList());

/** Ports a caller may serve with its own adapter (the harness brings a manual clock, for one). */
export interface PortOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Replaces the publisher the use cases see (the streams still serve subscribers). */
  readonly events?: EventPublisher;
  /** Replaces the streams that the configuration would choose. */
  readonly streams?: EventStreams;
  /** Replaces the rate limits' counters that the configuration would choose. */
  readonly counters?: WindowCounters;
  readonly logger?: Logger;
}

/** Counters a caller brought, which it opens and closes itself. */
const callersCounters = (counters: WindowCounters): CounterStore => ({
  counter: (name, options) => counters.counter(name, options),
  start: async () => undefined,
  close: async () => undefined,
});

export const createContainer = (config: AppConfig, persistence: Persistence, overrides: PortOverrides = {}): Container => {
  const container = new Container({ defaultScope: 'Singleton' });
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? new SystemClock();
  const metrics = config.metrics ? new PrometheusMetrics() : null;
  const unmetered = overrides.streams ?? createEventStreams(config.realtime, clock, logger);
  // Counted where every event passes, whichever adapter holds the streams.
  const streams = metrics ? new MeteredEventStreams(unmetered, metrics) : unmetered;
  const counters = overrides.counters ? callersCounters(overrides.counters) : createCounterStore(config.realtime, clock, logger);

  container.bind(LoggerToken).toConstantValue(logger);
  container.bind(EventStreamsToken).toConstantValue(streams);
  container.bind(CounterStoreToken).toConstantValue(counters);
  container.bind(MetricsToken).toConstantValue(metrics);
  // Read at each scrape, so the connections registry (built later, on the use cases) is asked then.
  metrics?.readFrom({
    connections: () => container.get<RealtimeConnections>(RealtimeConnectionsToken).countByTransport(),
    pool: () => persistence.poolUse(),
  });

  container.bind<UserRepository>(UserRepository).toConstantValue(persistence.users);
  container.bind<LoginRepository>(LoginRepository).toConstantValue(persistence.logins);
  container.bind<ChatSessionRepository>(ChatSessionRepository).toConstantValue(persistence.sessions);
  container.bind<MessageRepository>(MessageRepository).toConstantValue(persistence.messages);
  container.bind<TransactionRunner>(TransactionRunner).toConstantValue(persistence.transactions);

  container.bind<Clock>(Clock).toConstantValue(clock);
  container.bind<IdGenerator>(IdGenerator).toConstantValue(overrides.ids ?? new CryptoIdGenerator());
  container.bind<EventPublisher>(EventPublisher).toConstantValue(overrides.events ?? streams);
  container
    .bind<PasswordHasher>(PasswordHasher)
    .toConstantValue(new QueuedPasswordHasher(new BcryptPasswordHasher(config.bcryptRounds), config.passwordHashing));
  container.bind<CommonPasswordList>(CommonPasswordList).toConstantValue(commonPasswordList());
  container
    .bind<TokenIssuer>(TokenIssuer)
    .toResolvedValue(
      (clock: Clock, idGenerator: IdGenerator) => new JwtTokenIssuer({ ...config.jwt, clock, idGenerator }),
      [Clock, IdGenerator],
    );
  container.bind<SecretSealer>(SecretSealer).toConstantValue(new AesGcmSecretSealer(config.secretKey));
  container.bind<WindowCounters>(WindowCounters).toConstantValue(counters);

  container.bind(PortsToken).toDynamicValue((context) => {
    const tokens: ReadonlyArray<[string, ServiceIdentifier]> = Object.entries(PORT_TOKENS);
    const entries = tokens.map(([name, token]) => [name, context.get(token)]);
    return Object.fromEntries(entries) as Ports;
  });
  container
    .bind(UseCasesToken)
    .toResolvedValue(
      (ports: Ports) =>
        createUseCases(ports, {
          refresh: { reuseGraceMs: config.refreshReuseGraceSeconds * 1000 },
          limits: config.throttling,
          messageMaxChars: config.messageMaxChars,
        }),
      [PortsToken],
    );

  container.bind(RealtimeConnectionsToken).toResolvedValue(
    (useCases: UseCases) =>
      new RealtimeConnections({
        maxPerUser: config.realtime.maxConnectionsPerUser,
        streams,
        isLive: (principal) => useCases.checkLogin.execute(principal),
      }),
    [UseCasesToken],
  );
  container.bind(HttpAppToken).toResolvedValue(
    (useCases: UseCases, connections: RealtimeConnections) =>
      createHttpApp({
        useCases,
        logger,
        readiness: {
          Database: { required: true, check: () => persistence.ping() },
          ...(config.realtime.redis ? { Redis: { required: false, check: () => streams.isHealthy() } } : {}),
        },
        bodyLimitBytes: config.bodyLimitBytes,
        corsOrigins: config.corsOrigins,
        trustProxy: config.trustProxy,
        version: APP_VERSION,
        messageMaxChars: config.messageMaxChars,
        realtime: { streams, connections, keepAliveMs: config.realtime.keepAliveSeconds * 1000 },
        ...(metrics ? { requestObserver: metrics } : {}),
      }),
    [UseCasesToken, RealtimeConnectionsToken],
  );
  container.bind(HttpServerToken).toResolvedValue(
    (app: Koa<HttpState>) =>
      createHttpServer(app, {
        timeouts: {
          headersMs: config.httpTimeouts.headersSeconds * 1000,
          requestMs: config.httpTimeouts.requestSeconds * 1000,
          keepAliveMs: config.httpTimeouts.keepAliveSeconds * 1000,
        },
        ...(metrics ? { onClientError: (code: string) => metrics.refusedByServer(code) } : {}),
      }),
    [HttpAppToken],
  );
  container.bind(WebSocketGatewayToken).toResolvedValue(
    (useCases: UseCases, connections: RealtimeConnections) =>
      new WebSocketGateway({
        authenticate: useCases.authenticate,
        streams,
        connections,
        logger,
        pingIntervalMs: config.realtime.pingIntervalSeconds * 1000,
      }),
    [UseCasesToken, RealtimeConnectionsToken],
  );

  return container;
};

export interface InMemoryCompositionOptions {
  /** Where the manual clock starts; defaults to 2026-01-01T00:00:00.000Z. */
  readonly now?: Date | string;
  /** bcrypt cost; 4 keeps tests fast. Production uses 12. */
  readonly bcryptRounds?: number;
  readonly accessTokenTtlSeconds?: number;
  readonly refreshTokenTtlSeconds?: number;
  /** The refresh grace window (`REFRESH_REUSE_GRACE`); 0 is strict. The server's default otherwise. */
  readonly refreshReuseGraceSeconds?: number;
  /** A fixed signing secret (at least 32 bytes); by default a random one per composition. */
  readonly tokenSecret?: string;
  /**
   * Failed password checks allowed before 429s: per account and address (5), per address (20),
   * per account from addresses it has not signed in from (100).
   */
  readonly loginAttempts?: { readonly perAccountAndAddress?: number; readonly perAddress?: number; readonly perAccount?: number };
  /** Registrations allowed per client address and hour (10); an input without an address is not limited. */
  readonly registrationsPerAddress?: number;
  /** Messages one user may write in a minute (3,000). */
  readonly messageWritesPerMinute?: number;
  /** The longest a message's text may be, in characters (`MESSAGE_MAX_CHARS`); the server's default otherwise. */
  readonly messageMaxChars?: number;
  /** Replaces the rate limits' counters (by default in memory, on the harness's clock). */
  readonly counters?: WindowCounters;
}

/** The server's limits with the harness's own choices over them. */
const throttlingOf = (defaults: ThrottleLimits, options: InMemoryCompositionOptions): ThrottleLimits => {
  const points = (settings: CountLimitSettings, given: number | undefined): CountLimitSettings => ({ ...settings, points: given ?? settings.points });
  const { passwordFailures } = defaults;
  return {
    passwordFailures: {
      perAccountAndAddress: points(passwordFailures.perAccountAndAddress, options.loginAttempts?.perAccountAndAddress),
      perAddress: points(passwordFailures.perAddress, options.loginAttempts?.perAddress),
      perAccount: points(passwordFailures.perAccount, options.loginAttempts?.perAccount),
    },
    registrationsPerAddress: points(defaults.registrationsPerAddress, options.registrationsPerAddress),
    messageWritesPerUser: points(defaults.messageWritesPerUser, options.messageWritesPerMinute),
  };
};

/**
 * The in-memory harness's graph: memory storage, a manual clock, in-process event streams and a
 * recording of every event published, with every other adapter as the server has it (real bcrypt
 * at a low cost, real JWTs).
 */
export const createInMemoryComposition = (
  options: InMemoryCompositionOptions = {},
): { container: Container; clock: ManualClock; events: RecordingEventPublisher; streams: EventStreams } => {
  // The server's defaults and its checks (the secret; the token lifetimes and the grace window,
  // which depend on each other; the message length and the body limit), then the harness's own
  // choices as typed.
  const variable = (name: string, value: number | undefined): Record<string, string> =>
    value === undefined ? {} : { [name]: String(value) };
  const defaults = parseConfig({
    NODE_ENV: 'test',
    JWT_SECRET_KEY: options.tokenSecret ?? randomBytes(32).toString('base64url'),
    ...variable('ACCESS_TOKEN_TTL', options.accessTokenTtlSeconds),
    ...variable('REFRESH_TOKEN_TTL', options.refreshTokenTtlSeconds),
    ...variable('REFRESH_REUSE_GRACE', options.refreshReuseGraceSeconds),
    ...variable('MESSAGE_MAX_CHARS', options.messageMaxChars),
  });
  const config: AppConfig = {
    ...defaults,
    database: { kind: 'memory' },
    bcryptRounds: options.bcryptRounds ?? 4,
    throttling: throttlingOf(defaults.throttling, options),
  };
  const clock = new ManualClock(options.now);
  const events = new RecordingEventPublisher();
  const logger = createLogger(config.logLevel);
  const streams = createEventStreams(config.realtime, clock, logger);
  const container = createContainer(config, openMemoryPersistence(), {
    clock,
    events: new FanOutEventPublisher(events, streams),
    streams,
    logger,
    ...(options.counters ? { counters: options.counters } : {}),
  });
  return { container, clock, events, streams };
};
