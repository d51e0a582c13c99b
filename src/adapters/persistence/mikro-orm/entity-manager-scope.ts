import { type AnyEntity, type EntityManager, TransactionPropagation } from '@mikro-orm/core';
import type { MySqlStatementPool } from './mysql-statement-pool.js';
import { rowValue } from './row-value.js';
import { translateDriverError } from './translate-driver-error.js';

export type Row = Record<string, unknown>;

/** What this scope uses of a knex transaction's client and its mysql2 connection. */
interface KnexClient {
  acquireConnection(): Promise<MySqlConnection>;
  releaseConnection(connection: MySqlConnection): Promise<void>;
}
interface MySqlConnection {
  query(sql: string, values: readonly unknown[], done: (error: Error | null, result: unknown) => void): void;
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
    /** Where a plain statement outside a transaction runs on MySQL (null on SQLite). */
    private readonly statements: MySqlStatementPool | null,
  ) {}

  /** Runs `work` in the caller's EntityManager and maps whatever the driver throws. */
  async run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const current = this.root.getContext(false);
    const em = current === this.root ? this.root.fork() : current;
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
    const transaction = em.getTransactionContext<{ client: KnexClient; isCompleted(): boolean }>();
    // knex's own query path refuses a statement on a transaction already committed or rolled back;
    // its connection may be back in the pool, serving someone else, so this path refuses it too.
    if (transaction?.isCompleted()) throw new Error('Transaction query already complete');
    // MikroORM's `onQuery` hook still sees (and may rewrite) every statement, as on its own path.
    const text = em.config.get('onQuery')(sql, [...params]);
    if (!transaction) {
      if (!this.statements) throw new Error('a MySQL scope needs its statement pool');
      return this.statements.query(text, params);
    }
    const { client } = transaction;
    const connection = await client.acquireConnection();
    try {
      return await new Promise((resolve, reject) => {
        // The text and values as two arguments, not one `{ sql, values }` object (see MySqlStatementPool).
        connection.query(text, params, (error, result) => (error ? reject(error) : resolve(result)));
      });
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
    const em = this.root.getContext(false);
    em.getUnitOfWork().register(entity, em.getComparator().prepareEntity(entity), { refresh: true });
  }

  /** Whether the caller runs inside a transaction. */
  inTransaction(): boolean {
    return this.root.getContext(false).isInTransaction();
  }

  /**
   * Runs `work` in one transaction: the caller's when there is one (every call inside then joins
   * it), else a new one. For a repository call that writes more than one statement.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.run((em) => em.transactional(() => work(), { propagation: TransactionPropagation.REQUIRED }));
  }

  /** A `Date` as this driver binds it in plain SQL (SQLite stores epoch milliseconds). */
  dateParam(value: Date): unknown {
    return this.root.getPlatform().processDateProperty(value);
  }
}
