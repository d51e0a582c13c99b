/**
 * The environment, read and checked once. Nothing else in the project reads `process.env`: the
 * rest receives the typed `AppConfig` this produces.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import * as v from 'valibot';
import type { DatabaseOptions } from './adapters/persistence/mikro-orm/database-options.js';

export type Environment = Record<string, string | undefined>;

/** Where data lives: MySQL, the embedded SQLite file, or (for tests and demos) memory. */
export type DatabaseConfig = DatabaseOptions | { kind: 'memory' };

export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly database: DatabaseConfig;
  readonly migrateOnStart: boolean;
  readonly jwt: {
    readonly secret: string;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  readonly secretKey: string;
  readonly bcryptRounds: number;
  readonly bodyLimitBytes: number;
  readonly corsOrigins: readonly string[];
  readonly loginLimits: { readonly perAccount: number; readonly perAddress: number; readonly windowSeconds: number };
  /** Whether `X-Forwarded-For` is believed (only behind a proxy you run). */
  readonly trustProxy: boolean;
  readonly redisUrl: string | null;
}

/** A configuration problem, worded as the one line an operator needs to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIN_SECRET_BYTES = 32;

const integer = (name: string, min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `${name} must be a whole number`),
    v.transform(Number),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );

const flag = (name: string) =>
  v.pipe(
    v.string(),
    v.toLowerCase(),
    v.picklist(['true', 'false', '1', '0', 'yes', 'no'], `${name} must be true or false`),
    v.transform((value) => ['true', '1', 'yes'].includes(value)),
  );

/** `900`, `15m`, `12h`, `30d` → seconds. */
const duration = (name: string) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+[smhd]?$/, `${name} must be a number of seconds or like 15m, 12h, 30d`),
    v.transform((value) => {
      const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[value.at(-1) ?? 's'] ?? 1;
      return Number.parseInt(value, 10) * unit;
    }),
    v.minValue(1, `${name} must be positive`),
  );

/** `1mb`, `512kb`, `1048576` → bytes. */
const size = (name: string) =>
  v.pipe(
    v.string(),
    v.toLowerCase(),
    v.regex(/^\d+(b|kb|mb)?$/, `${name} must be bytes or like 512kb, 1mb`),
    v.transform((value) => {
      const unit = value.endsWith('mb') ? 1024 * 1024 : value.endsWith('kb') ? 1024 : 1;
      return Number.parseInt(value, 10) * unit;
    }),
    v.minValue(1024, `${name} must be at least 1kb`),
  );

const schema = v.object({
  NODE_ENV: v.optional(v.picklist(['development', 'production', 'test'], 'NODE_ENV must be development, production or test'), 'development'),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1, 'HOST must not be empty')), '0.0.0.0'),
  PORT: v.optional(integer('PORT', 0, 65_535), '8000'),
  LOG_LEVEL: v.optional(
    v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'),
  ),
  DATABASE_URL: v.optional(v.string()),
  MYSQL_HOST: v.optional(v.string()),
  MYSQL_PORT: v.optional(integer('MYSQL_PORT', 1, 65_535), '3306'),
  MYSQL_USER: v.optional(v.string(), 'root'),
  MYSQL_PASSWORD: v.optional(v.string(), ''),
  MYSQL_DATABASE: v.optional(v.pipe(v.string(), v.regex(/^\w{1,64}$/, 'MYSQL_DATABASE must be letters, digits and _')), 'chat_app'),
  DB_POOL_MIN: v.optional(integer('DB_POOL_MIN', 0, 100), '0'),
  DB_POOL_MAX: v.optional(integer('DB_POOL_MAX', 1, 200), '10'),
  DB_ACQUIRE_TIMEOUT_MS: v.optional(integer('DB_ACQUIRE_TIMEOUT_MS', 100, 120_000), '5000'),
  DB_CONNECT_TIMEOUT_MS: v.optional(integer('DB_CONNECT_TIMEOUT_MS', 100, 120_000), '3000'),
  SQLITE_PATH: v.optional(v.pipe(v.string(), v.minLength(1, 'SQLITE_PATH must not be empty')), './data/chat.sqlite'),
  MIGRATE_ON_START: v.optional(flag('MIGRATE_ON_START'), 'true'),
  JWT_SECRET_KEY: v.optional(v.string()),
  SECRET_KEY: v.optional(v.string()),
  JWT_ISSUER: v.optional(v.string(), 'chat-backend'),
  JWT_AUDIENCE: v.optional(v.string(), 'chat-backend'),
  ACCESS_TOKEN_TTL: v.optional(duration('ACCESS_TOKEN_TTL'), '15m'),
  REFRESH_TOKEN_TTL: v.optional(duration('REFRESH_TOKEN_TTL'), '30d'),
  BCRYPT_ROUNDS: v.optional(integer('BCRYPT_ROUNDS', 4, 15), '12'),
  BODY_LIMIT: v.optional(size('BODY_LIMIT'), '1mb'),
  CORS_ORIGINS: v.optional(v.string(), ''),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: v.optional(integer('LOGIN_MAX_FAILURES_PER_ACCOUNT', 1, 1000), '5'),
  LOGIN_MAX_FAILURES_PER_ADDRESS: v.optional(integer('LOGIN_MAX_FAILURES_PER_ADDRESS', 1, 100_000), '20'),
  LOGIN_FAILURE_WINDOW: v.optional(duration('LOGIN_FAILURE_WINDOW'), '15m'),
  TRUST_PROXY: v.optional(flag('TRUST_PROXY'), 'false'),
  REDIS_URL: v.optional(v.string()),
});

const fromUrl = (url: string, pool: Extract<DatabaseOptions, { kind: 'mysql' }>['pool']): DatabaseOptions => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected mysql://user:password@host:3306/database)');
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new ConfigError('DATABASE_URL must start with mysql:// (leave it unset for the embedded SQLite database)');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^\w{1,64}$/.test(database)) throw new ConfigError('DATABASE_URL must name a database: mysql://user:password@host:3306/chat_app');
  return {
    kind: 'mysql',
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    database,
    pool,
  };
};

/** Reads `.env` (when present) under the real environment: a variable already set wins. */
export const readEnvironment = (env: Environment, envFile: string): Environment => {
  if (!existsSync(envFile)) return env;
  return { ...dotenv.parse(readFileSync(envFile)), ...env };
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

/** Validates `env` into an `AppConfig`, or throws a `ConfigError` naming the variable at fault. */
export const parseConfig = (env: Environment): AppConfig => {
  const result = v.safeParse(schema, env);
  if (!result.success) {
    const issue = result.issues[0];
    const name = issue?.path?.[0]?.key;
    throw new ConfigError(issue?.message.includes(String(name)) ? issue.message : `${String(name)}: ${issue?.message}`);
  }
  const e = result.output;
  const production = e.NODE_ENV === 'production';

  const secret = e.JWT_SECRET_KEY ?? '';
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(
      secret === ''
        ? `JWT_SECRET_KEY is not set: give it a random value of at least ${MIN_SECRET_BYTES} bytes (npm run setup writes one)`
        : `JWT_SECRET_KEY is too short: it needs at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
  const pool = {
    min: e.DB_POOL_MIN,
    max: e.DB_POOL_MAX,
    acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
  };
  const database: DatabaseConfig = e.DATABASE_URL
    ? fromUrl(e.DATABASE_URL, pool)
    : e.MYSQL_HOST
      ? { kind: 'mysql', host: e.MYSQL_HOST, port: e.MYSQL_PORT, user: e.MYSQL_USER, password: e.MYSQL_PASSWORD, database: e.MYSQL_DATABASE, pool }
      : { kind: 'sqlite', path: e.SQLITE_PATH };

  const corsOrigins = e.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  if (corsOrigins.includes('*')) {
    throw new ConfigError('CORS_ORIGINS must list origins; "*" would let any site call the API with a user\'s token');
  }

  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : production ? 'info' : 'debug'),
    database,
    migrateOnStart: e.MIGRATE_ON_START,
    jwt: {
      secret,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL,
    },
    secretKey: e.SECRET_KEY ?? secret,
    bcryptRounds: e.BCRYPT_ROUNDS,
    bodyLimitBytes: e.BODY_LIMIT,
    corsOrigins,
    loginLimits: {
      perAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      perAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: e.LOGIN_FAILURE_WINDOW,
    },
    trustProxy: e.TRUST_PROXY,
    redisUrl: e.REDIS_URL ?? null,
  };
};

export interface LoadedConfig {
  config: AppConfig;
  /** Set when this start wrote a new `.env`, so the caller can say so. */
  wroteEnvFile: string | null;
}

/**
 * The server's configuration: `.env` under the process environment. Outside production, a missing
 * `.env` is written with generated secrets first, so `npm start` works on a fresh clone.
 */
export const loadConfig = (env: Environment = process.env, cwd: string = process.cwd()): LoadedConfig => {
  const envFile = resolve(cwd, '.env');
  let wroteEnvFile: string | null = null;
  const production = (env.NODE_ENV ?? readEnvironment({}, envFile).NODE_ENV) === 'production';
  if (!production && !env.JWT_SECRET_KEY && ensureEnvFile(envFile)) wroteEnvFile = envFile;
  return { config: parseConfig(readEnvironment(env, envFile)), wroteEnvFile };
};
