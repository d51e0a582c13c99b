import type { ChatSessionRepository } from '../../src/application/ports/chat-session-repository.port.js';
import type { LoginRepository } from '../../src/application/ports/login-repository.port.js';
import type { MessageRepository } from '../../src/application/ports/message-repository.port.js';
import type { TransactionRunner } from '../../src/application/ports/transaction-runner.port.js';
import type { UserRepository } from '../../src/application/ports/user-repository.port.js';

/** The persistence ports of one adapter, all over the same storage. */
export interface RepositoryFixture {
  users: UserRepository;
  logins: LoginRepository;
  sessions: ChatSessionRepository;
  messages: MessageRepository;
  transactions: TransactionRunner;
}

/** One adapter the repository contract runs against (memory, SQLite, MySQL). */
export interface RepositoryTarget {
  readonly name: string;
  /**
   * Opens storage once per port's suite. `reset` empties every table before each test (ids need not
   * restart); `close` releases the storage after the suite's last test.
   */
  open(): Promise<RepositoryFixture & { reset(): Promise<void>; close(): Promise<void> }>;
}
