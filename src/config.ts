/**
 * The environment, read and checked once. Nothing else in the project reads `process.env`: the
 * rest receives the typed `AppConfig` this produces.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import * as v from 'valibot';
import {
  DEFAULT_MYSQL_DATABASE,
  DEFAULT_POOL,
  DEFAULT_SQLITE_PATH,
  type DatabaseOptions,
  type DatabasePoolOptions,
} from './adapters/persistence/mikro-orm/database-options.js';

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
  readonly realtime: RealtimeConfig;
}

export interface RealtimeConfig {
  /** Where the streams live when several instances share them; null keeps them in process. */
  readonly redis: { readonly url: string; readonly keyPrefix: string } | null;
  /** Each user's history for replay: the last `historySize` events of the last `historyTtlSeconds`, at most `historyMaxBytes`. */
  readonly historySize: number;
  readonly historyTtlSeconds: number;
  readonly historyMaxBytes: number;
  /** Open WebSocket and event-stream connections one user may hold on one instance. */
  readonly maxConnectionsPerUser: number;
  readonly pingIntervalSeconds: number;
  readonly keepAliveSeconds: number;
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
  REDIS_URL: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\/\S+$/, 'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)'))),
  REDIS_KEY_PREFIX: v.optional(v.pipe(v.string(), v.regex(/^[\w:.-]{1,64}$/, 'REDIS_KEY_PREFIX must be 1-64 letters, digits and _ : . -')), 'chat:'),
  EVENT_HISTORY_SIZE: v.optional(integer('EVENT_HISTORY_SIZE', 1, 100_000), '1000'),
  EVENT_HISTORY_TTL: v.optional(duration('EVENT_HISTORY_TTL'), '24h'),
  EVENT_HISTORY_MAX_BYTES: v.optional(size('EVENT_HISTORY_MAX_BYTES'), '4mb'),
  REALTIME_MAX_CONNECTIONS_PER_USER: v.optional(integer('REALTIME_MAX_CONNECTIONS_PER_USER', 1, 100_000), '20'),
  WS_PING_INTERVAL: v.optional(duration('WS_PING_INTERVAL'), '30s'),
  SSE_KEEPALIVE_INTERVAL: v.optional(duration('SSE_KEEPALIVE_INTERVAL'), '15s'),
});

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

const whole = (env: Environment, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (!present(raw)) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};

const databaseName = (name: string, variable: string): string => {
  if (!/^\w{1,64}$/.test(name)) throw new ConfigError(`${variable} must be 1-64 letters, digits and _, got "${name}"`);
  return name;
};

const poolOf = (env: Environment): DatabasePoolOptions => {
  const pool = {
    min: whole(env, 'DB_POOL_MIN', DEFAULT_POOL.min, 0, 1000),
    max: whole(env, 'DB_POOL_MAX', DEFAULT_POOL.max, 1, 1000),
    acquireTimeoutMs: whole(env, 'DB_ACQUIRE_TIMEOUT_MS', DEFAULT_POOL.acquireTimeoutMs, 1, 600_000),
    connectTimeoutMs: whole(env, 'DB_CONNECT_TIMEOUT_MS', DEFAULT_POOL.connectTimeoutMs, 1, 600_000),
    statementTimeoutMs: whole(env, 'DB_STATEMENT_TIMEOUT_MS', DEFAULT_POOL.statementTimeoutMs, 100, 3_600_000),
  };
  if (pool.min > pool.max) throw new ConfigError(`DB_POOL_MIN (${pool.min}) must not exceed DB_POOL_MAX (${pool.max})`);
  return pool;
};

const mySqlFromUrl = (raw: string, pool: DatabasePoolOptions): DatabaseOptions => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected mysql://user:password@host:3306/database)');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError(`DATABASE_URL must start with mysql:// (got ${url.protocol}//); leave it unset for SQLite`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    kind: 'mysql',
    host: decodeURIComponent(url.hostname) || '127.0.0.1',
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database: databaseName(database || DEFAULT_MYSQL_DATABASE, 'DATABASE_URL'),
    pool,
  };
};

/**
 * Which database the environment asks for: `DATABASE_URL=mysql://…` or `MYSQL_HOST` (with the
 * seed's `MYSQL_PORT`/`MYSQL_USER`/`MYSQL_PASSWORD`/`MYSQL_DATABASE`) select MySQL; otherwise the
 * embedded SQLite file at `SQLITE_PATH`. The database scripts use this alone: they need no secret.
 */
export const parseDatabaseConfig = (env: Environment): DatabaseOptions => {
  // Checked even when SQLite is chosen, so a mistyped pool setting is caught before it matters.
  const pool = poolOf(env);
  const url = env['DATABASE_URL'];
  if (present(url)) return mySqlFromUrl(url.trim(), pool);
  const host = env['MYSQL_HOST'];
  if (present(host)) {
    return {
      kind: 'mysql',
      host: host.trim(),
      port: whole(env, 'MYSQL_PORT', 3306, 1, 65_535),
      user: present(env['MYSQL_USER']) ? env['MYSQL_USER'] : 'root',
      password: env['MYSQL_PASSWORD'] ?? '',
      database: present(env['MYSQL_DATABASE']) ? databaseName(env['MYSQL_DATABASE'], 'MYSQL_DATABASE') : DEFAULT_MYSQL_DATABASE,
      pool,
    };
  }
  const path = env['SQLITE_PATH'];
  return { kind: 'sqlite', path: present(path) ? path : DEFAULT_SQLITE_PATH };
};

/** Reads `.env` (when present) under the real environment: a variable already set wins. */
export const readEnvironment = (env: Environment, envFile: string): Environment => {
  if (!existsSync(envFile)) return env;
  // An empty variable counts as unset here too, so it does not hide the file's value.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  return { ...dotenv.parse(readFileSync(envFile)), ...set };
};

/** The database the process environment (and `.env` in the working directory) names. */
export const loadDatabaseConfig = (env: Environment = process.env, cwd: string = process.cwd()): DatabaseOptions =>
  parseDatabaseConfig(readEnvironment(env, resolve(cwd, '.env')));

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
export const parseConfig = (environment: Environment): AppConfig => {
  // `PORT=` in a .env means "not set", as it does for most tools that read one.
  const env = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
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
        ? // The hint names what really writes one: the first start or `npm run db:setup`, and only
          // where no .env exists yet (neither ever edits an existing file).
          `JWT_SECRET_KEY is not set: give it a random value of at least ${MIN_SECRET_BYTES} bytes (where no .env exists, npm run db:setup writes one)`
        : `JWT_SECRET_KEY is too short: it needs at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
  const database = parseDatabaseConfig(env);

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
    realtime: {
      redis: e.REDIS_URL === undefined ? null : { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
      historySize: e.EVENT_HISTORY_SIZE,
      historyTtlSeconds: e.EVENT_HISTORY_TTL,
      historyMaxBytes: e.EVENT_HISTORY_MAX_BYTES,
      maxConnectionsPerUser: e.REALTIME_MAX_CONNECTIONS_PER_USER,
      pingIntervalSeconds: e.WS_PING_INTERVAL,
      keepAliveSeconds: e.SSE_KEEPALIVE_INTERVAL,
    },
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
