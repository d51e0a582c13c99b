/**
 * The environment, read and checked once. This is the one place that reads `process.env` (and
 * `.env` in the working directory): the rest receives the typed `AppConfig` it produces. The
 * parts live in `configuration/`: the schema of every variable (`app-config.schema.ts`, with the
 * database's in `database-config.schema.ts`), the kinds of value (`value-schemas.ts`), the one
 * wording of a refusal (`config-error.ts`) and the `.env` file (`env-file.ts`).
 */
import { resolve } from 'node:path';
import type { AppConfig } from './configuration/app-config.js';
import { parseConfig } from './configuration/app-config.schema.js';
import { parseDatabaseConfig } from './configuration/database-config.schema.js';
import type { DatabaseOptions } from './configuration/database-options.js';
import { ensureEnvFile, readEnvironment } from './configuration/env-file.js';
import { type Environment, isSet } from './configuration/environment.js';

export type { AppConfig, RealtimeConfig } from './configuration/app-config.js';
export { parseConfig } from './configuration/app-config.schema.js';
export { ConfigError } from './configuration/config-error.js';
export { parseDatabaseConfig } from './configuration/database-config.schema.js';
export type { DatabaseConfig } from './configuration/database-options.js';
export { ensureEnvFile, generateSecret, readEnvironment } from './configuration/env-file.js';
export type { Environment } from './configuration/environment.js';

export interface LoadedConfig {
  config: AppConfig;
  /** Set when this start wrote a new `.env`, so the caller can say so. */
  wroteEnvFile: string | null;
}

/** The database the process environment (and `.env` in the working directory) names. */
export const loadDatabaseConfig = (env: Environment = process.env, cwd: string = process.cwd()): DatabaseOptions =>
  parseDatabaseConfig(readEnvironment(env, resolve(cwd, '.env')));

/**
 * The server's configuration: `.env` under the process environment. Outside production, a missing
 * `.env` is written with generated secrets first, so `npm start` works on a fresh clone.
 */
export const loadConfig = (env: Environment = process.env, cwd: string = process.cwd()): LoadedConfig => {
  const envFile = resolve(cwd, '.env');
  let wroteEnvFile: string | null = null;
  const production = (env['NODE_ENV'] ?? readEnvironment({}, envFile)['NODE_ENV']) === 'production';
  if (!production && !isSet(env['JWT_SECRET_KEY']) && ensureEnvFile(envFile)) wroteEnvFile = envFile;
  return { config: parseConfig(readEnvironment(env, envFile)), wroteEnvFile };
};
