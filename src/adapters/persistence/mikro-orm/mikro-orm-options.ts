import { mkdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlushMode, type Options } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver } from '@mikro-orm/mysql';
import type { DatabaseOptions } from '../../../configuration/database-options.js';
import { entitySchemas } from './entity-schemas.js';
import { mysqlMigrations } from './migrations/mysql-migrations.js';
import { sqliteMigrations } from './migrations/sqlite-migrations.js';

/** Where `migration:create` writes a new migration; the app itself runs the explicit lists. */
const migrationsDir = (kind: DatabaseOptions['kind']): string =>
  fileURLToPath(new URL(`./migrations/${kind}`, import.meta.url));

const common = {
  entities: entitySchemas,
  // Every caller works in its own fork or context; touching the global EntityManager is a bug.
  allowGlobalContext: false,
  // Repositories flush explicitly; an automatic flush before a read would write changes a use
  // case has not asked to save yet.
  flushMode: FlushMode.COMMIT,
  // Those accessors serve bidirectional relations, which this model has none of, and the domain
  // classes' own fields would shadow them on every instance built by a constructor.
  propagationOnPrototype: false,
  // Databases are created by `db:setup` (with the right charset), never as a side effect.
  ensureDatabase: false,
  // The first query connects; callers that must know the database answers ask it themselves,
  // once, instead of init's own check paying the connect timeout a second time.
  connect: false,
  debug: false,
  extensions: [Migrator],
} satisfies Options;

/** The parts of a mysql2 connection that `cutSilentStatements` reads. */
interface MySqlWire {
  /** The socket to the server (`net.Socket`, or its TLS subclass). */
  readonly stream: Socket;
  /**
   * The command waiting for the server's answer, null when the connection is idle. A mysql2
   * internal (there since its first release): if it ever goes, the check below never fires and the
   * black-hole case of tests/http/database-outage.test.ts fails instead of passing silently.
   */
  readonly _command?: unknown;
}

/**
 * Why this exists: mysql2 and knex have no timeout on a statement once it is sent. A server that
 * keeps the TCP connection but never answers (frozen or overloaded mysqld, a proxy or firewall
 * that stops forwarding, a partition: TCP keep-alive sees none of these while the peer's kernel
 * still acknowledges) leaves the request that sent it waiting forever, holding its pooled
 * connection; the connect and acquire timeouts only cover getting a connection, and an idle
 * pooled connection is handed out without a round trip. mysql2's per-query `timeout` is not a fix
 * either: it fails the query but leaves it at the head of the connection's queue, so every later
 * statement on that connection would wait behind it, unanswered.
 *
 * So: when a connection has a command in flight and nothing has moved on its socket for `limitMs`,
 * the socket is destroyed. mysql2 then fails that command and every queued one with the code
 * below (mapped to "unavailable", so the request gets a 503) and marks the connection broken, so
 * the pool drops it instead of handing it out again. Silence on an idle connection is normal and
 * left alone (the timer only re-arms on traffic). A result that streams in keeps resetting it.
 */
export const cutSilentStatements =
  (limitMs: number) =>
  (connection: MySqlWire, done: (error: Error | null, connection: MySqlWire) => void): void => {
    const socket = connection.stream;
    // `on`, not `setTimeout`'s callback, which is a one-time listener: the first idle period
    // would use it up, and a later silent statement would go unnoticed.
    socket.on('timeout', () => {
      if (connection._command === null || connection._command === undefined) return;
      const error = Object.assign(new Error(`Query inactivity timeout: the database sent nothing for ${limitMs} ms`), {
        code: 'PROTOCOL_SEQUENCE_TIMEOUT',
      });
      socket.destroy(error);
    });
    socket.setTimeout(limitMs);
    done(null, connection);
  };

export interface MikroOrmOptionsSettings {
  /**
   * Serving requests (MySQL): a connection whose statement gets no answer for
   * `DB_STATEMENT_TIMEOUT_MS` is cut (see `cutSilentStatements`). Off for migrations and the admin
   * scripts, whose statements (an `ALTER TABLE` on a large table) may rightly run silent for long,
   * and must not be cut half-way.
   */
  readonly cutSilentStatements?: boolean;
}

/** MikroORM options for the chosen database: one place for pool, timeouts, charset and migrations. */
export const mikroOrmOptions = (database: DatabaseOptions, settings: MikroOrmOptionsSettings = {}): Options => {
  if (database.kind === 'mysql') {
    return {
      ...common,
      driver: MySqlDriver,
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      dbName: database.database,
      // Used by the schema generator for new tables; the migrations say it explicitly too.
      charset: 'utf8mb4',
      collate: 'utf8mb4_unicode_ci',
      // DATETIME has no zone: store and read UTC so every server agrees.
      forceUtcTimezone: true,
      pool: {
        min: database.pool.min,
        max: database.pool.max,
        acquireTimeoutMillis: database.pool.acquireTimeoutMs,
        // A connection that failed to open must not be retried for the whole acquire timeout.
        createTimeoutMillis: database.pool.connectTimeoutMs,
        propagateCreateError: true,
        ...(settings.cutSilentStatements ? { afterCreate: cutSilentStatements(database.pool.statementTimeoutMs) } : {}),
      },
      driverOptions: {
        acquireConnectionTimeout: database.pool.acquireTimeoutMs,
        connection: {
          connectTimeout: database.pool.connectTimeoutMs,
          // The session character set, so 4-byte characters survive the wire.
          charset: 'utf8mb4',
          enableKeepAlive: true,
          keepAliveInitialDelay: 10_000,
        },
      },
      migrations: {
        tableName: 'mikro_orm_migrations',
        path: migrationsDir('mysql'),
        pathTs: migrationsDir('mysql'),
        emit: 'ts',
        migrationsList: mysqlMigrations,
        // MySQL commits implicitly around every DDL statement, so a transaction would promise an
        // atomicity it cannot keep (and knex warns about it).
        transactional: false,
        allOrNothing: false,
        silent: true,
        snapshotName: '.snapshot-mysql',
      },
    };
  }

  const path = database.path === ':memory:' ? database.path : resolve(database.path);
  // Here rather than at open: the server, the scripts and the CLI all come through this function,
  // and on a fresh clone ./data does not exist yet.
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return {
    ...common,
    driver: LibSqlDriver,
    dbName: path,
    pool: {
      // One connection: SQLite has one writer anyway, and a single connection turns every
      // transaction into a queue instead of SQLITE_BUSY errors.
      min: 1,
      max: 1,
      // libsql replaces a pooled connection once it is 10 s old, and pragmas live per connection:
      // each new one gets them here. Foreign keys (what cascades a deleted account) happen to be on
      // in libsql's build; saying so keeps the cascade from depending on how it was compiled.
      afterCreate: (connection: { exec(sql: string): void }, done: (error: Error | null, connection: unknown) => void) => {
        try {
          connection.exec('pragma foreign_keys = on; pragma busy_timeout = 5000; pragma journal_mode = wal;');
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: migrationsDir('sqlite'),
      pathTs: migrationsDir('sqlite'),
      emit: 'ts',
      migrationsList: sqliteMigrations,
      silent: true,
      snapshotName: '.snapshot-sqlite',
    },
  };
};
