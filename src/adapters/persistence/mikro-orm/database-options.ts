export interface DatabasePoolOptions {
  min: number;
  max: number;
  /** How long a request waits for a free connection before it fails as unavailable. */
  acquireTimeoutMs: number;
  /** How long opening one connection may take, so an unreachable server fails fast. */
  connectTimeoutMs: number;
}

export type DatabaseOptions =
  | {
      kind: 'mysql';
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
      pool: DatabasePoolOptions;
    }
  | { kind: 'sqlite'; path: string };

export const DEFAULT_MYSQL_DATABASE = 'chat_app';
export const DEFAULT_SQLITE_PATH = './data/chat.sqlite';
/** The same defaults as `src/config.ts`, so the CLI and the server behave alike. */
export const DEFAULT_POOL: Readonly<DatabasePoolOptions> = {
  min: 0,
  max: 10,
  acquireTimeoutMs: 5_000,
  connectTimeoutMs: 3_000,
};

type Env = Record<string, string | undefined>;

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (!present(raw)) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};

const databaseName = (name: string, variable: string): string => {
  if (!/^\w{1,64}$/.test(name)) throw new Error(`${variable} must be 1-64 letters, digits and _, got "${name}"`);
  return name;
};

const poolFromEnv = (env: Env): DatabasePoolOptions => {
  const pool = {
    min: integer(env, 'DB_POOL_MIN', DEFAULT_POOL.min, 0, 1000),
    max: integer(env, 'DB_POOL_MAX', DEFAULT_POOL.max, 1, 1000),
    acquireTimeoutMs: integer(env, 'DB_ACQUIRE_TIMEOUT_MS', DEFAULT_POOL.acquireTimeoutMs, 1, 600_000),
    connectTimeoutMs: integer(env, 'DB_CONNECT_TIMEOUT_MS', DEFAULT_POOL.connectTimeoutMs, 1, 600_000),
  };
  if (pool.min > pool.max) throw new Error(`DB_POOL_MIN (${pool.min}) must not exceed DB_POOL_MAX (${pool.max})`);
  return pool;
};

const fromUrl = (raw: string, env: Env): DatabaseOptions => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected mysql://user:password@host:3306/database)');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error(`DATABASE_URL must start with mysql:// (got ${url.protocol}//); leave it unset for SQLite`);
  }
  const port = url.port === '' ? 3306 : Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    kind: 'mysql',
    host: decodeURIComponent(url.hostname) || '127.0.0.1',
    port,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database: databaseName(database || DEFAULT_MYSQL_DATABASE, 'DATABASE_URL'),
    pool: poolFromEnv(env),
  };
};

/**
 * Which database the environment asks for: `DATABASE_URL=mysql://…` or `MYSQL_HOST` (with the
 * seed's `MYSQL_PORT`/`MYSQL_USER`/`MYSQL_PASSWORD`/`MYSQL_DATABASE`) select MySQL; otherwise the
 * embedded SQLite file at `SQLITE_PATH`. Throws an error naming the variable on bad input.
 */
export const databaseOptionsFromEnv = (env: Env): DatabaseOptions => {
  const url = env['DATABASE_URL'];
  if (present(url)) return fromUrl(url.trim(), env);
  const host = env['MYSQL_HOST'];
  if (present(host)) {
    return {
      kind: 'mysql',
      host: host.trim(),
      port: integer(env, 'MYSQL_PORT', 3306, 1, 65_535),
      user: present(env['MYSQL_USER']) ? env['MYSQL_USER'] : 'root',
      password: env['MYSQL_PASSWORD'] ?? '',
      database: present(env['MYSQL_DATABASE']) ? databaseName(env['MYSQL_DATABASE'], 'MYSQL_DATABASE') : DEFAULT_MYSQL_DATABASE,
      pool: poolFromEnv(env),
    };
  }
  const path = env['SQLITE_PATH'];
  return { kind: 'sqlite', path: present(path) ? path : DEFAULT_SQLITE_PATH };
};
