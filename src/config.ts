/**
 * The environment, read and checked once. Nothing else in the project reads `process.env`: the
 * rest receives the typed `AppConfig` this produces. The parts live in `configuration/`: the
 * schema of every variable (`app-config.schema.ts`, with the database's in
 * `database-config.schema.ts`), the kinds of value (`value-schemas.ts`), the one wording of a
 * refusal (`config-error.ts`) and the `.env` file (`env-file.ts`, `load-config.ts`).
 */
export type { AppConfig, RealtimeConfig } from './configuration/app-config.js';
export { parseConfig } from './configuration/app-config.schema.js';
export { ConfigError } from './configuration/config-error.js';
export { parseDatabaseConfig } from './configuration/database-config.schema.js';
export type { DatabaseConfig } from './configuration/database-options.js';
export { ensureEnvFile, generateSecret, readEnvironment } from './configuration/env-file.js';
export type { Environment } from './configuration/environment.js';
export { type LoadedConfig, loadConfig, loadDatabaseConfig } from './configuration/load-config.js';
