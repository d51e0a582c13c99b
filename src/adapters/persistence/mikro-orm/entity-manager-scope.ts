import { AsyncLocalStorage } from 'node:async_hooks';
import { type AnyEntity, type EntityManager, TransactionPropagation } from '@mikro-orm/core';
import type { PoolConnection } from 'mysql2';
import { isFatal, type MySqlStatementPool, runOn, type StatementTarget } from './mysql-statement-pool.js';
import { rowValue } from './row-value.js';
import { translateDriverError } from './translate-driver-error.js';

export type Row = Record<string, unknown>;

/**
 * A statement for a transaction that has ended: its connection may be back in the pool, serving
 * someone else. knex's message, which knex itself gives for a statement on a finished transaction.
 */
const transactionComplete = (): Error => new Error('Transaction query already complete');

/**
 * What this scope uses of a knex client (a transaction's, or the one under MikroORM): where its
 * connection comes from and goes back to, and `_query`, which sends one statement on it.
 */
interface KnexClient<Connection = StatementTarget> {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<void>;
  _query(connection: Connection, query: unknown): Promise<unknown>;
}

/**
 * A transaction this scope runs itself, on one connection of the statement pool (MySQL). Plain
 * statements go to the connection; entity operations, which only some use cases run inside a
 * transaction, get an EntityManager made on first use whose queries go to that same connection.
 */
interface StatementTransaction {
  readonly connection: PoolConnection;
  /** Set once COMMIT or ROLLBACK is sent: the connection may be serving someone else by then. */
  done: boolean;
  em: EntityManager | undefined;
}

/**
 * Which EntityManager a repository call works in, so that no identity map is ever shared between
 * two callers (rule 5): inside a transaction, the transaction's; inside a `RequestContext`, the
 * request's; otherwise a fresh fork that dies with the call. Every failure leaves through the
 * driver-error translation.
 */
export class EntityManagerScope {
  constructor(
    private readonly root: EntityManager,
    /** Which SQL dialect the plain queries speak, for the few places where they differ. */
    readonly dialect: 'mysql' | 'sqlite',
    /** Where a plain statement outside a transaction runs on MySQL, and where transactions run (null on SQLite). */
    private readonly statements: MySqlStatementPool | null,
  ) {}

  readonly #statementTransaction = new AsyncLocalStorage<StatementTransaction>();

  /** Runs `work` in the caller's EntityManager and maps whatever the driver throws. */
  async run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const transaction = this.#statementTransaction.getStore();
    // A call that outlived its transaction (a promise the work left running) is refused, as a plain
    // statement is: it must not run outside the transaction it was written for.
    if (transaction?.done) throw transactionComplete();
    const current = this.root.getContext(false);
    const em = transaction ? this.entityManagerOf(transaction) : current === this.root ? this.root.fork() : current;
    try {
      return await work(em);
    } catch (error) {
      throw translateDriverError(error);
    }
  }

  /**
   * Stores a new or changed entity. The entity may have been loaded by another call (another
   * fork): its own snapshot of what was loaded still tells the unit of work what changed.
   */
  async persist(entity: AnyEntity): Promise<void> {
    await this.run(async (em) => {
      em.persist(entity);
      try {
        await em.flush();
      } catch (error) {
        // A failed write must not be retried by the next flush of a shared (request or
        // transaction) EntityManager.
        em.getUnitOfWork().unsetIdentity(entity);
        throw error;
      }
    });
  }

  /**
   * Runs plain SQL in the caller's transaction, if any, without touching an identity map: the read
   * side (rule 10) builds views straight from these rows.
   */
  async rows(sql: string, params: readonly unknown[], em: EntityManager = this.root.getContext(false)): Promise<Row[]> {
    try {
      return (await this.statement(em, sql, params, 'all')) as Row[];
    } catch (error) {
      throw translateDriverError(error);
    }
  }

  /** Runs a plain SQL write in the caller's transaction, if any. */
  async execute(sql: string, params: readonly unknown[]): Promise<void> {
    const em = this.root.getContext(false);
    try {
      await this.statement(em, sql, params, 'run');
    } catch (error) {
      throw translateDriverError(error);
    }
  }

  /** One plain statement in `em`'s transaction, if any: on MySQL straight on the driver (below). */
  private statement(em: EntityManager, sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<unknown> {
    if (this.dialect === 'mysql') return this.onMySqlConnection(em, sql, params);
    return em.getConnection().execute(sql, [...params], method, em.getTransactionContext());
  }

  /**
   * A statement straight on mysql2: on the transaction's connection when there is one, else on the
   * statement pool. MikroORM's `execute` would format the parameters into the text, wrap it in a
   * knex query and log it, which together cost more than the statement on the hot reads; mysql2
   * binds the same values (dates in UTC: the connection's `timezone` is `Z`). The values are what
   * the repositories pass: numbers, strings, Dates and null (mysql2 would write an object as
   * `key = value` pairs, where MikroORM wrote JSON).
   */
  private async onMySqlConnection(em: EntityManager, sql: string, params: readonly unknown[]): Promise<unknown> {
    const own = this.#statementTransaction.getStore();
    const transaction = own ? undefined : em.getTransactionContext<{ client: KnexClient; isCompleted(): boolean }>();
    // knex's own query path refuses a statement on a transaction already committed or rolled back;
    // its connection may be back in the pool, serving someone else, so this path refuses it too.
    if (own?.done || transaction?.isCompleted()) throw transactionComplete();
    // MikroORM's `onQuery` hook still sees (and may rewrite) every statement, as on its own path.
    const text = em.config.get('onQuery')(sql, [...params]);
    if (own) return runOn(own.connection, text, params);
    if (!transaction) {
      if (!this.statements) throw new Error('a MySQL scope needs its statement pool');
      return this.statements.query(text, params);
    }
    // A transaction of MikroORM's own (`em.transactional` by a caller holding the ORM): its connection.
    const { client } = transaction;
    const connection = await client.acquireConnection();
    try {
      return await runOn(connection, text, params);
    } finally {
      // The transaction's own connection: releasing it is a no-op, nothing to wait for.
      void client.releaseConnection(connection);
    }
  }

  /** Runs a plain SQL INSERT in the caller's transaction, if any, and answers the new row's id. */
  async insert(sql: string, params: readonly unknown[]): Promise<number> {
    const em = this.root.getContext(false);
    try {
      const result = (await this.statement(em, sql, params, 'run')) as { insertId?: unknown };
      return rowValue.number(result.insertId);
    } catch (error) {
      throw translateDriverError(error);
    }
  }

  /**
   * Makes an entity stored by plain SQL known to the unit of work as it is now, so that saving it
   * later (in any EntityManager) writes what changed since, with an UPDATE, not a second INSERT.
   */
  adopt(entity: AnyEntity): void {
    const transaction = this.#statementTransaction.getStore();
    const em = transaction ? this.entityManagerOf(transaction) : this.root.getContext(false);
    em.getUnitOfWork().register(entity, em.getComparator().prepareEntity(entity), { refresh: true });
  }

  /** Whether the caller runs inside a transaction. */
  inTransaction(): boolean {
    return this.#statementTransaction.getStore() !== undefined || this.root.getContext(false).isInTransaction();
  }

  /**
   * Runs `work` in one transaction: the caller's when there is one (every call inside then joins
   * it), else a new one. For the transaction runner, and for a repository call that writes more
   * than one statement.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    // Joining: the calls inside translate their own failures, and the outer transaction all of them.
    if (this.#statementTransaction.getStore()) return work();
    if (this.root.getContext(false).isInTransaction()) return this.run(() => work());
    if (this.statements) return this.statementTransaction(this.statements, work);
    return this.run((em) => em.transactional(() => work(), { propagation: TransactionPropagation.REQUIRED }));
  }

  /**
   * A transaction on one connection of the statement pool, begun and ended here (MySQL). Why not
   * MikroORM's `em.transactional`: its fork, knex's transaction object and the flush at the end
   * cost about as much CPU as everything else a send does (measured in bench/results/2026-12-04.md).
   * Entity operations inside still go through MikroORM, on an EntityManager bound to this
   * connection (`entityManagerOf`), flushed before COMMIT as `em.transactional` would.
   */
  private async statementTransaction<T>(statements: MySqlStatementPool, work: () => Promise<T>): Promise<T> {
    let connection: PoolConnection;
    try {
      connection = await statements.acquire();
    } catch (error) {
      throw translateDriverError(error);
    }
    const transaction: StatementTransaction = { connection, done: false, em: undefined };
    let failure: unknown = null;
    // A COMMIT that failed leaves the connection in no known state: it is closed, not pooled.
    let unknownState = false;
    try {
      await runOn(connection, 'BEGIN');
      const result = await this.#statementTransaction.run(transaction, async () => {
        const value = await work();
        await transaction.em?.flush();
        return value;
      });
      transaction.done = true;
      await runOn(connection, 'COMMIT');
      return result;
    } catch (error) {
      failure = error;
      if (transaction.done) unknownState = true;
      else {
        transaction.done = true;
        // A connection that failed fatally is gone, and with it the transaction.
        if (!isFatal(error)) await runOn(connection, 'ROLLBACK').catch(() => undefined);
      }
      throw translateDriverError(error);
    } finally {
      // Entities loaded inside may still point at this EntityManager: from now on it reaches the
      // database as any fork does, not through a connection that is back in the pool.
      transaction.em?.resetTransactionContext();
      if (unknownState) connection.destroy();
      else statements.release(connection, failure);
    }
  }

  /**
   * The EntityManager of a statement transaction, made on its first entity operation: a fork whose
   * transaction context is knex's view of this one connection. knex runs a query given a
   * transaction on that transaction's client, asking it for the connection and handing it back
   * after (`acquireConnection`, `releaseConnection`): here, always this connection, never released
   * before the transaction ends, and checked again as each statement is sent (`_query`), so one
   * that was handed the connection before the end cannot reach it after. MikroORM sees a
   * transaction, so it neither opens one of its own for a flush nor refuses a locking read. Only
   * joining is supported inside (REQUIRED propagation, what `transaction` does): a savepoint
   * (`em.transactional` with another propagation, `em.begin`) is refused with a clear message.
   */
  private entityManagerOf(transaction: StatementTransaction): EntityManager {
    if (transaction.em) return transaction.em;
    const em = this.root.fork();
    const base = (em.getConnection() as unknown as { getKnex(): { client: KnexClient<unknown> } }).getKnex().client;
    const client = Object.create(base) as KnexClient<unknown> & { transacting: boolean };
    client.transacting = true;
    client.acquireConnection = () => (transaction.done ? Promise.reject(transactionComplete()) : Promise.resolve(transaction.connection));
    client.releaseConnection = () => Promise.resolve();
    client._query = (connection, query) => (transaction.done ? Promise.reject(transactionComplete()) : base._query.call(client, connection, query));
    em.setTransactionContext({
      client,
      transaction: () => {
        throw new Error('a savepoint inside a MySQL transaction of EntityManagerScope is not supported; nested calls join it');
      },
    });
    transaction.em = em;
    return em;
  }

  /** A `Date` as this driver binds it in plain SQL (SQLite stores epoch milliseconds). */
  dateParam(value: Date): unknown {
    return this.root.getPlatform().processDateProperty(value);
  }
}
