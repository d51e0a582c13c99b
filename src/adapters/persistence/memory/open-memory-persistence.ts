import type { Persistence } from '../persistence.js';
import { MemoryChatSessionRepository } from './memory-chat-session.repository.js';
import { MemoryDatabase } from './memory-database.js';
import { MemoryLoginRepository } from './memory-login.repository.js';
import { MemoryMessageRepository } from './memory-message.repository.js';
import { MemoryTransactionRunner } from './memory.transaction-runner.js';
import { MemoryUserRepository } from './memory-user.repository.js';

/** Storage that lives as long as the process: the test harness, and demos that keep nothing. */
export const openMemoryPersistence = (database: MemoryDatabase = new MemoryDatabase()): Persistence => ({
  users: new MemoryUserRepository(database),
  logins: new MemoryLoginRepository(database),
  sessions: new MemoryChatSessionRepository(database),
  messages: new MemoryMessageRepository(database),
  transactions: new MemoryTransactionRunner(database),
  appliedMigrations: [],
  ping: async () => true,
  poolUse: () => null,
  close: async () => {},
});
