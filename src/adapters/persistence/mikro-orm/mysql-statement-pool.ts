import mysql, { type Pool, type PoolConnection, type PoolOptions } from 'mysql2';
import type { DatabasePoolOptions } from '../../../configuration/database-options.js';
import type { PoolUse } from '../persistence.js';
import { cutSilentStatements } from './mikro-orm-options.js';

/** What `PoolUse` reads of mysql2's pool: its queues (internals there since its first pool). */
interface PoolQueues {
  readonly _allConnections: { readonly length: number };
  readonly _freeConnections: { readonly length: number };
  readonly _connectionQueue: { readonly length: number };
}

/**
 * The pool that plain statements outside a transaction run on (MySQL): the reads of every request,
 * the login check among them. mysql2's own pool, with knex's connection settings, so a row reads
 * exactly as on MikroORM's path. Why not knex's pool: tarn's acquire makes some twenty promises
 * and two timers per statement, where this makes one promise, and a timer only while it waits; on Node 20, once
 * MikroORM has run a transaction, every promise also pays the AsyncLocalStorage hook. Transactions
 * stay on knex's pool (MikroORM owns them), so a server opens up to `DB_POOL_MAX` connections on
 * each pool.
 *
 * The same guarantees as knex's pool: a statement that waits longer than `DB_ACQUIRE_TIMEOUT_MS`
 * for a connection fails with knex's message (which `translateDriverError` maps to unavailable), a
 * connection that cannot be opened fails at once, and a statement left unanswered is cut
 * (`cutSilentStatements`).
 */
export class MySqlStatementPool {
  private readonly pool: Pool;

  constructor(
    connectionSettings: PoolOptions,
    private readonly options: Pick<DatabasePoolOptions, 'max' | 'acquireTimeoutMs' | 'statementTimeoutMs'>,
  ) {
    this.pool = mysql.createPool({ ...connectionSettings, connectionLimit: options.max, maxIdle: options.max, waitForConnections: true, queueLimit: 0 });
    // Only requests use this pool (migrations and the scripts have knex's), so every connection is cut.
    const cut = cutSilentStatements(options.statementTimeoutMs);
    this.pool.on('connection', (connection) => cut(connection as unknown as Parameters<typeof cut>[0], () => {}));
  }

  /** One statement on a pooled connection: its rows, or the result header of a write. */
  query(sql: string, values: readonly unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const run = (connection: PoolConnection): void => {
        // The text and values as two arguments: mysql2 spreads a `{ sql, values }` object into its
        // query options, which costs 25 times the call itself (3.3 µs against 0.12, Node 20).
        // mysql2 reads the values and never writes them; its types just do not say readonly.
        connection.query(sql, values as unknown[], (queryError: Error | null, result: unknown) => {
          // A fatal error (the connection is lost or was cut) is told to this callback before the
          // connection leaves the pool: released now, it would be handed to the next waiter dead.
          if (!(queryError as { fatal?: boolean } | null)?.fatal) connection.release();
          if (queryError) reject(queryError);
          else resolve(result);
        });
      };
      // A free connection is handed over on the next tick, so there is no wait to time: on a busy
      // server, most statements. Only one that must open a connection or queue for one is timed.
      if ((this.pool as unknown as PoolQueues)._freeConnections.length > 0) {
        this.pool.getConnection((error: Error | null, connection: PoolConnection) => (error ? reject(error) : run(connection)));
        return;
      }
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        reject(new Error(`Timeout acquiring a connection. The pool is probably full (${this.options.max} connections).`));
      }, this.options.acquireTimeoutMs);
      this.pool.getConnection((error: Error | null, connection: PoolConnection) => {
        clearTimeout(timer);
        if (late) {
          // The caller has been answered; the connection goes back unused.
          connection?.release();
          return;
        }
        if (error) reject(error);
        else run(connection);
      });
    });
  }

  use(): PoolUse {
    const queues = this.pool as unknown as PoolQueues;
    const open = queues._allConnections.length;
    const free = queues._freeConnections.length;
    return { used: open - free, free, pendingAcquires: queues._connectionQueue.length, max: this.options.max };
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.pool.end((error) => (error ? reject(error) : resolve())));
  }
}
