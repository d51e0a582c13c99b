/**
 * Which database the environment asks for: `DATABASE_URL=mysql://…` or `MYSQL_HOST` (with the
 * seed's `MYSQL_PORT`/`MYSQL_USER`/`MYSQL_PASSWORD`/`MYSQL_DATABASE`) select MySQL; otherwise the
 * embedded SQLite file at `SQLITE_PATH`. The database scripts use this alone: they need no secret.
 */
import * as v from 'valibot';
import { DEFAULT_MYSQL_DATABASE, DEFAULT_POOL, DEFAULT_SQLITE_PATH, type DatabaseOptions } from './database-options.js';
import { type Environment, parseEnvironment } from './environment.js';
import { integer, matching, text } from './value-schemas.js';

const DATABASE_NAME = /^\w{1,64}$/;
const DATABASE_NAME_RULE = '1-64 letters, digits and _';
const URL_RULE = 'a URL like mysql://user:password@host:3306/database';

/** `mysql://user:password@host:3306/database` → its parts, decoded, with the seed's defaults. */
const mySqlUrl = v.pipe(
  v.string(URL_RULE),
  v.trim(),
  v.check((value) => URL.canParse(value), URL_RULE),
  v.transform((value) => new URL(value)),
  v.check((url) => url.protocol === 'mysql:' || url.protocol === 'mariadb:', 'a mysql:// URL (leave it unset for SQLite)'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const url = dataset.value;
    try {
      return {
        host: decodeURIComponent(url.hostname) || '127.0.0.1',
        port: url.port === '' ? 3306 : Number(url.port),
        user: decodeURIComponent(url.username) || 'root',
        password: decodeURIComponent(url.password),
        database: decodeURIComponent(url.pathname.replace(/^\//, '')) || DEFAULT_MYSQL_DATABASE,
      };
    } catch {
      addIssue({ message: `${URL_RULE}, with every %-escape valid` });
      return NEVER;
    }
  }),
  v.check((server) => DATABASE_NAME.test(server.database), `a URL whose database name is ${DATABASE_NAME_RULE}`),
);

export const databaseConfigSchema = v.pipe(
  // Every variable is checked whichever database is chosen, so a mistyped one is caught before it matters.
  v.object({
    DATABASE_URL: v.optional(mySqlUrl),
    MYSQL_HOST: v.optional(v.pipe(text(), v.trim())),
    MYSQL_PORT: v.optional(integer(1, 65_535), '3306'),
    MYSQL_USER: v.optional(text(), 'root'),
    MYSQL_PASSWORD: v.optional(text(), ''),
    MYSQL_DATABASE: v.optional(matching(DATABASE_NAME, DATABASE_NAME_RULE), DEFAULT_MYSQL_DATABASE),
    SQLITE_PATH: v.optional(text(), DEFAULT_SQLITE_PATH),
    DB_POOL_MIN: v.optional(integer(0, 1000), String(DEFAULT_POOL.min)),
    DB_POOL_MAX: v.optional(integer(1, 1000), String(DEFAULT_POOL.max)),
    DB_ACQUIRE_TIMEOUT_MS: v.optional(integer(1, 600_000), String(DEFAULT_POOL.acquireTimeoutMs)),
    DB_CONNECT_TIMEOUT_MS: v.optional(integer(1, 600_000), String(DEFAULT_POOL.connectTimeoutMs)),
    DB_STATEMENT_TIMEOUT_MS: v.optional(integer(100, 3_600_000), String(DEFAULT_POOL.statementTimeoutMs)),
  }),
  v.forward(
    v.partialCheck(
      [['DB_POOL_MIN'], ['DB_POOL_MAX']],
      (e) => e.DB_POOL_MIN <= e.DB_POOL_MAX,
      (issue) => `at most DB_POOL_MAX (${issue.input.DB_POOL_MAX})`,
    ),
    ['DB_POOL_MIN'],
  ),
  v.transform((e): DatabaseOptions => {
    const pool = {
      min: e.DB_POOL_MIN,
      max: e.DB_POOL_MAX,
      acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    };
    if (e.DATABASE_URL !== undefined) return { kind: 'mysql', ...e.DATABASE_URL, pool };
    if (e.MYSQL_HOST !== undefined) {
      return { kind: 'mysql', host: e.MYSQL_HOST, port: e.MYSQL_PORT, user: e.MYSQL_USER, password: e.MYSQL_PASSWORD, database: e.MYSQL_DATABASE, pool };
    }
    return { kind: 'sqlite', path: e.SQLITE_PATH };
  }),
);

/** The database `env` selects, or a `ConfigError` naming the variable at fault. */
export const parseDatabaseConfig = (env: Environment): DatabaseOptions => parseEnvironment(databaseConfigSchema, env);
