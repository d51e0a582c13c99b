/** The `.env` file: read under the real environment, and written with fresh secrets on a first start. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { type Environment, setVariables } from './environment.js';

/** Reads `.env` (when present) under the real environment: a variable already set wins. */
export const readEnvironment = (env: Environment, envFile: string): Environment => {
  if (!existsSync(envFile)) return env;
  // A blank variable counts as unset here too, so it does not hide the file's value.
  return { ...dotenv.parse(readFileSync(envFile)), ...setVariables(env) };
};

export const generateSecret = (): string => randomBytes(48).toString('base64url');

/**
 * Writes a `.env` with fresh secrets if there is none, so a development server's tokens survive a
 * restart. Never overwrites an existing file. Returns whether it wrote one.
 */
export const ensureEnvFile = (envFile: string): boolean => {
  if (existsSync(envFile)) return false;
  const lines = [
    '# Written by chat-backend on first start. Keep it out of version control.',
    `SECRET_KEY=${generateSecret()}`,
    `JWT_SECRET_KEY=${generateSecret()}`,
    '',
  ];
  writeFileSync(envFile, lines.join('\n'), { flag: 'wx', mode: 0o600 });
  return true;
};
