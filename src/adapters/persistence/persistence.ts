import type { ChatSessionRepository } from '../../application/ports/chat-session-repository.port.js';
import type { LoginRepository } from '../../application/ports/login-repository.port.js';
import type { MessageRepository } from '../../application/ports/message-repository.port.js';
import type { TransactionRunner } from '../../application/ports/transaction-runner.port.js';
import type { UserRepository } from '../../application/ports/user-repository.port.js';

/** How the database's connection pool is used right now (for the metrics). */
export interface PoolUse {
  /** Connections handed out to a query or transaction. */
  readonly used: number;
  /** Open connections waiting in the pool. */
  readonly free: number;
  /** Requests waiting for a connection. */
  readonly pendingAcquires: number;
  /** The most connections the pool opens. */
  readonly max: number;
}

/** One storage behind the repository ports, opened and closed as a whole. */
export interface Persistence {
  readonly users: UserRepository;
  readonly logins: LoginRepository;
  readonly sessions: ChatSessionRepository;
  readonly messages: MessageRepository;
  readonly transactions: TransactionRunner;
  /** The migrations applied when it was opened (none when it was up to date, or not asked to migrate). */
  readonly appliedMigrations: readonly string[];
  /** Whether the storage answers right now. */
  ping(): Promise<boolean>;
  /** The connection pool's use; null for storage without one (memory). */
  poolUse(): PoolUse | null;
  close(): Promise<void>;
}
