import type { UseCases } from './application/use-cases.js';
import type { AppConfig } from './config.js';
import { createContainer, openPersistence, UseCasesToken, type PortOverrides } from './container.js';

export interface ChatBackend extends UseCases {
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  /** Closes the database pool; the use cases must not be called afterwards. */
  close(): Promise<void>;
}

/**
 * The library entry: every use case wired to the database the configuration names (MySQL or the
 * embedded SQLite file), for callers that import the backend instead of running the server.
 */
export const createChatBackend = async (config: AppConfig, overrides: PortOverrides = {}): Promise<ChatBackend> => {
  const persistence = await openPersistence(config.database, { migrate: config.migrateOnStart });
  const useCases = createContainer(config, persistence, overrides).get(UseCasesToken);
  return { ...useCases, ping: () => persistence.ping(), close: () => persistence.close() };
};
