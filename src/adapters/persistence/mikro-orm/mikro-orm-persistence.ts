import { MikroORM } from '@mikro-orm/core';
// Both drivers (mysql, libsql) are knex-based and re-export its connection class.
import { AbstractSqlConnection } from '@mikro-orm/mysql';
import { UnavailableError } from '../../../domain/domain-error.js';
import type { Persistence, PoolUse } from '../persistence.js';
import type { DatabaseOptions } from '../../../configuration/database-options.js';
import { describeDatabaseFailure } from './describe-database.js';
import { EntityManagerScope } from './entity-manager-scope.js';
import { migrate } from './migrate.js';
import { migrateDatabase } from './migrate-database.js';
import { MikroOrmChatSessionRepository } from './mikro-orm-chat-session.repository.js';
import { MikroOrmLoginRepository } from './mikro-orm-login.repository.js';
import { MikroOrmMessageRepository } from './mikro-orm-message.repository.js';
import { mikroOrmOptions } from './mikro-orm-options.js';
import { MikroOrmTransactionRunner } from './mikro-orm.transaction-runner.js';
import { MikroOrmUserRepository } from './mikro-orm-user.repository.js';
import { MySqlStatementPool } from './mysql-statement-pool.js';
import { translateDriverError } from './translate-driver-error.js';

/** What `poolUse` reads of knex's pool (tarn). */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  readonly max: number;
}

export interface MikroOrmPersistence extends Persistence {
  /** For adapters that need the ORM itself: `RequestContext` middleware, tests. */
  readonly orm: MikroORM;
}

/**
 * Opens the database, migrating it first when asked, and answers every repository port over it.
 * Fails fast with an `UnavailableError` naming the cause when the database cannot be reached, so a
 * server refuses to start instead of serving 503s.
 */
export const openMikroOrmPersistence = async (
  options: DatabaseOptions,
  { migrate: migrateFirst = false }: { migrate?: boolean } = {},
): Promise<MikroOrmPersistence> => {
  // MySQL migrates on a short-lived pool of its own: the serving pool cuts statements that go
  // unanswered for long (`cutSilentStatements`), and a long ALTER TABLE must not be cut half-way.
  // SQLite migrates on the serving ORM: an in-memory database lives and dies with its connection.
  const migrateApart = migrateFirst && options.kind === 'mysql';
  let orm: MikroORM | undefined;
  let appliedMigrations: string[] = [];
  try {
    if (migrateApart) appliedMigrations = await migrateDatabase(options);
    orm = await MikroORM.init(mikroOrmOptions(options, { cutSilentStatements: true }));
    if (migrateFirst && !migrateApart) appliedMigrations = await migrate(orm);
    // Migrating just showed that the database answers; otherwise ask it once.
    else if (!migrateApart) await orm.em.getConnection().execute('SELECT 1');
  } catch (error) {
    await orm?.close(true);
    const translated = translateDriverError(error);
    if (translated instanceof UnavailableError) {
      throw new UnavailableError(`Database unavailable: ${describeDatabaseFailure(translated)}`, { cause: error });
    }
    throw translated;
  }

  const knexClient = (): { connectionSettings: object; pool?: TarnPool } | undefined => {
    const connection = orm.em.getConnection();
    return connection instanceof AbstractSqlConnection ? connection.getKnex().client : undefined;
  };
  const statements =
    options.kind === 'mysql'
      ? new MySqlStatementPool(knexClient()!.connectionSettings, options.pool)
      : null;
  const scope = new EntityManagerScope(orm.em, options.kind, statements);
  return {
    orm,
    users: new MikroOrmUserRepository(scope),
    logins: new MikroOrmLoginRepository(scope),
    sessions: new MikroOrmChatSessionRepository(scope),
    messages: new MikroOrmMessageRepository(scope),
    transactions: new MikroOrmTransactionRunner(scope),
    appliedMigrations,
    ping: async () => {
      try {
        await orm.em.getConnection().execute('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    poolUse: () => {
      // knex's pool (tarn), under MikroORM's connection, which its reads and flushes outside a
      // transaction use; absent only before the ORM connects. With the statement pool beside it
      // (transactions and plain statements), the two added up.
      const pool = knexClient()?.pool;
      if (!pool) return null;
      const knexUse: PoolUse = { used: pool.numUsed(), free: pool.numFree(), pendingAcquires: pool.numPendingAcquires(), max: pool.max };
      if (!statements) return knexUse;
      const statementUse = statements.use();
      return {
        used: knexUse.used + statementUse.used,
        free: knexUse.free + statementUse.free,
        pendingAcquires: knexUse.pendingAcquires + statementUse.pendingAcquires,
        max: knexUse.max + statementUse.max,
      };
    },
    close: async () => {
      await statements?.close();
      await orm.close(true);
    },
  };
};
