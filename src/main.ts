/**
 * The server: configuration → container → database (migrated) → event streams → HTTP and
 * WebSocket → graceful shutdown.
 */
import type { Server } from 'node:http';
import { describeDatabase } from './adapters/persistence/mikro-orm/describe-database.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './adapters/logging/create-logger.js';
import { createMetricsServer, METRICS_PATH } from './adapters/metrics/metrics-server.js';
import {
  CounterStoreToken,
  createContainer,
  EventStreamsToken,
  HttpServerToken,
  IdleStreamSweeperToken,
  MetricsToken,
  openPersistence,
  RealtimeConnectionsToken,
  WebSocketGatewayToken,
} from './container.js';

const SHUTDOWN_GRACE_MS = 8_000;
/**
 * How long a request still arriving at SIGTERM may take to arrive before it is answered 408: well
 * inside the grace, so its handler can still finish and the process exit 0.
 */
const SHUTDOWN_DRAIN_MS = 3_000;

const fail = (message: string): never => {
  // One line, whatever the cause says: a driver's message can carry the SQL it ran, newlines and all.
  process.stderr.write(`chat-backend: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  process.exit(1);
};

const main = async (): Promise<void> => {
  let loaded;
  try {
    loaded = loadConfig();
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : `cannot read the configuration: ${String(error)}`);
  }
  const { config, wroteEnvFile } = loaded;

  let persistence;
  try {
    persistence = await openPersistence(config.database, { migrate: config.migrateOnStart });
  } catch (error) {
    const database = config.database.kind === 'memory' ? 'memory' : describeDatabase(config.database);
    return fail(`cannot open the database (${database}): ${error instanceof Error ? error.message : String(error)}`);
  }

  // Readable lines for a person running it in a terminal; JSON lines for everything else.
  const logger = createLogger(config.logLevel, { pretty: config.nodeEnv === 'development' && process.stdout.isTTY === true });
  const container = createContainer(config, persistence, { logger });
  if (wroteEnvFile) logger.info({ file: wroteEnvFile }, 'wrote a new .env with generated secrets');
  const where = config.database.kind === 'memory' ? 'memory' : describeDatabase(config.database);
  const applied = persistence.appliedMigrations;
  logger.info(
    { database: where, migrations: applied },
    `using the ${where}; ${applied.length === 0 ? 'its schema is up to date' : `applied ${applied.length} migration${applied.length === 1 ? '' : 's'}`}`,
  );
  const streams = container.get(EventStreamsToken);
  const counters = container.get(CounterStoreToken);
  try {
    await streams.start();
    await counters.start();
  } catch (error) {
    await streams.close().catch(() => undefined);
    await persistence.close().catch(() => undefined);
    return fail(error instanceof Error ? error.message : String(error));
  }
  const http = container.get(HttpServerToken);
  const server = http.server;
  const gateway = container.get(WebSocketGatewayToken);
  gateway.attach(server);

  const listen = (target: Server, host: string, port: number, what: string): Promise<number> =>
    new Promise<void>((resolve, reject) => {
      target.once('error', reject);
      target.listen(port, host, () => resolve());
    })
      .catch((error: unknown) => fail(`cannot listen on ${host}:${port}${what}: ${String(error)}`))
      .then(() => {
        const address = target.address();
        return typeof address === 'object' && address ? address.port : port;
      });

  // Before the API's listener, so that metrics are up by the time the server says it listens.
  const metrics = container.get(MetricsToken);
  const metricsServer = metrics && config.metrics ? createMetricsServer(metrics) : null;
  if (metricsServer && config.metrics) {
    const metricsPort = await listen(metricsServer, config.metrics.host, config.metrics.port, ' for metrics');
    logger.info({ host: config.metrics.host, port: metricsPort }, `metrics on http://${config.metrics.host}:${metricsPort}${METRICS_PATH}`);
  }
  const port = await listen(server, config.host, config.port, '');
  logger.info(
    { host: config.host, port, database: config.database.kind, realtime: config.realtime.redis ? 'redis' : 'in-process' },
    `listening on http://${config.host}:${port}`,
  );

  // Once events can be published, which the sweep does for every message it marks.
  const sweeper = container.get(IdleStreamSweeperToken);
  sweeper.start();

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    deadline.unref();
    // No sweep starts from here on; one under way finishes while the requests do.
    const sweeperStopped = sweeper.stop();
    const closed = http.close(SHUTDOWN_DRAIN_MS);
    // Long-lived connections hold the server open: event streams end and sockets close with 1001
    // first, so that only ordinary requests are left to finish.
    container.get(RealtimeConnectionsToken).closeAll('shutdown');
    await gateway.close();
    await closed;
    // Scrapes are answered until the requests are done, so the shutdown can be watched.
    if (metricsServer) {
      const metricsClosed = new Promise((resolve) => metricsServer.close(resolve));
      metricsServer.closeAllConnections();
      await metricsClosed;
    }
    await sweeperStopped;
    await persistence.close().catch((error: unknown) => logger.error({ err: error }, 'closing the database failed'));
    await streams.close().catch((error: unknown) => logger.error({ err: error }, 'closing the event streams failed'));
    await counters.close().catch((error: unknown) => logger.error({ err: error }, 'closing the rate-limit counters failed'));
    logger.info('stopped');
    clearTimeout(deadline);
    // Not `process.exit(0)` at once: to a pipe or socket, pino writes stdout asynchronously
    // through libuv's thread pool (see createLogger), where a write can wait behind bcrypt hashes,
    // and exiting then reorders or drops the last log lines (the in-flight request's line came out
    // after 'stopped'). Everything is closed, so the process ends by itself once those writes are
    // done; the unref'd timer only covers a handle something left open.
    process.exitCode = 0;
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  // A second signal (an impatient Ctrl-C) ends the process at once, but through `process.exit`,
  // so the log lines still gathered for a file are written (createLogger), not lost to the
  // signal's default action.
  const onSignal = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while shutting down; exiting now');
      process.exit(1);
    }
    void stop(signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
};

main().catch((error: unknown) => fail(`could not start: ${error instanceof Error ? error.message : String(error)}`));
