/** The one place that reads `process.env` (and `.env` in the working directory). */
import { resolve } from 'node:path';
import type { AppConfig } from './app-config.js';
import { parseConfig } from './app-config.schema.js';
import { parseDatabaseConfig } from './database-config.schema.js';
import type { DatabaseOptions } from './database-options.js';
import { ensureEnvFile, readEnvironment } from './env-file.js';
import { type Environment, isSet } from './environment.js';

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
