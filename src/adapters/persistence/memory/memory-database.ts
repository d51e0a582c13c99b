import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChatSessionState } from '../../../domain/chat-session.entity.js';
import type { LoginState } from '../../../domain/login.entity.js';
import type { MessageRevision, MessageState } from '../../../domain/message.entity.js';
import type { UserState } from '../../../domain/user.entity.js';

/**
 * The rows. Records are frozen and replaced on every update, never changed in place, so a shallow
 * copy of each Map is a complete snapshot. Their Dates are shared between a record and its
 * snapshots, so nothing may ever call a setter on them: repositories copy Dates in and out.
 */
interface MemoryTables {
  readonly users: Map<string, Readonly<UserState>>;
  readonly logins: Map<string, Readonly<LoginState>>;
  readonly sessions: Map<number, Readonly<ChatSessionState>>;
  readonly messages: Map<number, Readonly<MessageState>>;
  /** Each message's revisions, oldest first: a frozen array, replaced whole when one is added. */
  readonly revisions: Map<number, readonly Readonly<MessageRevision>[]>;
}

type ReadonlyTables = {
  readonly [Name in keyof MemoryTables]: MemoryTables[Name] extends Map<infer Key, infer Row>
    ? ReadonlyMap<Key, Row>
    : never;
};

/** Marks the async context of one running transaction; closed when it ends, so late stragglers stop joining. */
interface TransactionScope {
  open: boolean;
}

const emptyTables = (): MemoryTables => ({
  users: new Map(),
  logins: new Map(),
  sessions: new Map(),
  messages: new Map(),
  revisions: new Map(),
});

const snapshotOf = (tables: MemoryTables): MemoryTables => ({
  users: new Map(tables.users),
  logins: new Map(tables.logins),
  sessions: new Map(tables.sessions),
  messages: new Map(tables.messages),
  revisions: new Map(tables.revisions),
});

/**
 * An in-process database with the guarantees the repositories promise of a real one: writes are
 * serialized, a transaction commits whole or not at all, readers outside a transaction see only
 * committed rows, foreign keys hold and deleting a user cascades.
 *
 * Concurrency model: one writer at a time. A transaction holds the write lock from start to end; a
 * write outside any transaction is its own one-statement transaction and waits for the lock too.
 * Reads never wait: outside a transaction they see the state as of the last commit.
 *
 * Work started inside a transaction must reach the repositories through the same async call chain
 * (what `AsyncLocalStorage` follows). A write issued from an unrelated context (an event handler)
 * while a transaction awaits it would wait for that transaction to end: a deadlock, as it would be
 * on a real database with a row lock.
 */
export class MemoryDatabase {
  #tables: MemoryTables = emptyTables();
  /** The state as of the last commit, while a transaction is writing to `#tables`. */
  #committed: MemoryTables | null = null;
  // Not part of the snapshot: like InnoDB, a rolled-back insert still uses up its id, so no id is
  // ever handed out twice, even to an entity whose insert was undone.
  #lastSessionId = 0;
  #lastMessageId = 0;
  #writeLock: Promise<void> = Promise.resolve();
  readonly #scope = new AsyncLocalStorage<TransactionScope>();

  /**
   * Runs `work` as one transaction. Called from inside a running transaction it joins it (no
   * savepoint: a nested failure the outer work catches leaves the nested writes in place).
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inTransaction()) return work();
    return this.#exclusively(async () => {
      const snapshot = snapshotOf(this.#tables);
      const scope: TransactionScope = { open: true };
      this.#committed = snapshot;
      try {
        return await this.#scope.run(scope, work);
      } catch (error) {
        this.#tables = snapshot;
        throw error;
      } finally {
        scope.open = false;
        this.#committed = null;
      }
    });
  }

  /** Runs a query against the rows this caller may see. */
  async read<T>(query: (tables: ReadonlyTables) => T): Promise<T> {
    return query(this.#visibleTables());
  }

  /**
   * Runs one statement. It is synchronous, so nothing interleaves with it; and every statement
   * checks its constraints before it writes, so one that throws has changed nothing and needs no
   * snapshot of its own.
   */
  async write<T>(statement: (tables: MemoryTables) => T): Promise<T> {
    if (this.#inTransaction()) return statement(this.#tables);
    return this.#exclusively(async () => statement(this.#tables));
  }

  /** The next session id; call it inside a `write` statement, once the row is sure to be stored. */
  nextSessionId(): number {
    this.#lastSessionId += 1;
    return this.#lastSessionId;
  }

  /** The next message id; call it inside a `write` statement, once the row is sure to be stored. */
  nextMessageId(): number {
    this.#lastMessageId += 1;
    return this.#lastMessageId;
  }

  /** Deletes a user with everything that refers to it, as the schema's ON DELETE CASCADE does. */
  async deleteUser(id: string): Promise<void> {
    await this.write((tables) => {
      if (!tables.users.delete(id)) return;
      for (const [loginId, login] of tables.logins) {
        if (login.userId === id) tables.logins.delete(loginId);
      }
      const sessionIds = new Set<number>();
      for (const [sessionId, session] of tables.sessions) {
        if (session.userId !== id) continue;
        sessionIds.add(sessionId);
        tables.sessions.delete(sessionId);
      }
      for (const [messageId, message] of tables.messages) {
        if (!sessionIds.has(message.sessionId)) continue;
        tables.messages.delete(messageId);
        tables.revisions.delete(messageId);
      }
    });
  }

  /** Empties every table and restarts the ids, like a freshly migrated schema (between tests). */
  async clear(): Promise<void> {
    await this.#exclusively(async () => {
      this.#tables = emptyTables();
      this.#lastSessionId = 0;
      this.#lastMessageId = 0;
    });
  }

  /** Whether the caller runs inside a transaction (and so holds the write lock). */
  inTransaction(): boolean {
    return this.#inTransaction();
  }

  #inTransaction(): boolean {
    return this.#scope.getStore()?.open === true;
  }

  #visibleTables(): MemoryTables {
    if (this.#inTransaction()) return this.#tables;
    return this.#committed ?? this.#tables;
  }

  async #exclusively<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#writeLock;
    let release: () => void = () => undefined;
    this.#writeLock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
