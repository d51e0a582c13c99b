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
 * The pool that transactions and plain statements run on (MySQL): the reads of every request, the
 * login check among them, and every transaction (`EntityManagerScope.transaction`). mysql2's own
 * pool, with knex's connection settings, so a row reads exactly as on MikroORM's path. Why not
 * knex's pool: tarn's acquire makes some twenty promises and two timers per statement, where this
 * makes one promise, and a timer only while it waits; on Node 20 every promise also pays the
 * AsyncLocalStorage hook, on for good once a storage has run (MikroORM's flush, the scope's
 * transactions). MikroORM's own reads and flushes outside a transaction stay on knex's pool, so a
 * server opens up to `DB_POOL_MAX` connections on each pool.
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
  async query(sql: string, values: readonly unknown[]): Promise<unknown> {
    const connection = await this.acquire();
    let failure: unknown = null;
    try {
      return await runOn(connection, sql, values);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.release(connection, failure);
    }
  }

  /**
   * A connection of the pool, for a transaction's statements (`runOn`); `release` gives it back.
   * A free connection is handed over on the next tick, so there is no wait to time: on a busy
   * server, most acquisitions. Only one that must open a connection or queue for one is timed.
   */
  acquire(): Promise<PoolConnection> {
    return new Promise((resolve, reject) => {
      if ((this.pool as unknown as PoolQueues)._freeConnections.length > 0) {
        this.pool.getConnection((error: Error | null, connection: PoolConnection) => (error ? reject(error) : resolve(connection)));
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
        else resolve(connection);
      });
    });
  }

  /**
   * Gives `connection` back after its last statement. After a fatal error (the connection is lost
   * or was cut), which mysql2 reports to the statement before the connection leaves the pool, it is
   * not given back: released, it would be handed to the next waiter dead.
   */
  release(connection: PoolConnection, lastError: unknown = null): void {
    if (!isFatal(lastError)) connection.release();
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

/** A mysql2 connection, as `runOn` uses it. */
export interface StatementTarget {
  query(sql: string, values: unknown[], done: (error: Error | null, result: unknown) => void): unknown;
}

/**
 * Whether `error` (a driver's, or the domain error it was translated into) says its connection is
 * gone: mysql2 marks such errors `fatal`.
 */
export const isFatal = (error: unknown): boolean => {
  const failure = error as { fatal?: unknown; cause?: { fatal?: unknown } } | null | undefined;
  return failure?.fatal === true || failure?.cause?.fatal === true;
};

/**
 * One statement on `connection`. The text and values go as two arguments: mysql2 spreads a
 * `{ sql, values }` object into its query options, which costs 25 times the call itself (3.3 µs
 * against 0.12, Node 20). mysql2 reads the values and never writes them; its types just do not say
 * readonly.
 */
export const runOn = (connection: StatementTarget, sql: string, values: readonly unknown[] = []): Promise<unknown> =>
  new Promise((resolve, reject) => {
    connection.query(sql, values as unknown[], (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result)));
  });
