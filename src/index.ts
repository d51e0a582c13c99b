/** The package's entry: the application's public surface plus the database-backed wiring. */
export * from './application/index.js';
export { createChatBackend, type ChatBackend } from './chat-backend.js';
export { loadConfig, parseConfig, ConfigError, type AppConfig, type DatabaseConfig } from './config.js';
