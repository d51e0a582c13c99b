import type { ChatSessionRepository } from '../../application/ports/chat-session-repository.port.js';
import type { LoginRepository } from '../../application/ports/login-repository.port.js';
import type { MessageRepository } from '../../application/ports/message-repository.port.js';
import type { TransactionRunner } from '../../application/ports/transaction-runner.port.js';
import type { UserRepository } from '../../application/ports/user-repository.port.js';

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
  close(): Promise<void>;
}
