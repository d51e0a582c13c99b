/** Every variable the server reads, in one valibot schema, and what it makes of them. */
import * as v from 'valibot';
import { type AppConfig, LOG_LEVELS, NODE_ENVS } from './app-config.js';
import { databaseConfigSchema } from './database-config.schema.js';
import { type Environment, parseEnvironment } from './environment.js';
import { duration, flag, integer, matching, oneOf, shortDuration, size, text } from './value-schemas.js';

const MIN_SECRET_BYTES = 32;
// The hint names what really writes one: the first start or `npm run db:setup`, and only where no
// .env exists yet (neither ever edits an existing file).
const SECRET_RULE = `a random value of at least ${MIN_SECRET_BYTES} bytes (where no .env exists, npm run db:setup writes one)`;
/** A secret of at least MIN_SECRET_BYTES, counted in UTF-8. */
const secret = () =>
  v.pipe(
    v.string(SECRET_RULE),
    v.check((value) => Buffer.byteLength(value, 'utf8') >= MIN_SECRET_BYTES, SECRET_RULE),
  );
/**
 * The refresh grace window's bounds. Long enough for tabs that refresh together over a slow link;
 * short, because inside it a copied refresh token is not told apart from a second tab. 0 turns it
 * off (strict reuse detection).
 */
const MAX_REFRESH_REUSE_GRACE_SECONDS = 60;
const DEFAULT_REFRESH_REUSE_GRACE = '10s';
/** A message's text, in characters, unless `MESSAGE_MAX_CHARS` says otherwise: the seed's rule. */
export const MESSAGE_MAX_CHARS_DEFAULT = 5000;
/**
 * The most `MESSAGE_MAX_CHARS` may be: a million characters is at most 4 MB of UTF-8, which the
 * MySQL `mediumtext` column (16 MB) holds whatever the characters.
 */
const MESSAGE_MAX_CHARS_CEILING = 1_000_000;
const CORS_RULE = 'a comma-separated list of origins, without "*" (which would let any site call the API with a user\'s token)';

const DEFAULT_LOG_LEVEL: Readonly<Record<AppConfig['nodeEnv'], AppConfig['logLevel']>> = {
  development: 'debug',
  production: 'info',
  test: 'silent',
};

const serverVariables = v.object({
  NODE_ENV: v.optional(oneOf(NODE_ENVS), 'development'),
  HOST: v.optional(text(), '0.0.0.0'),
  PORT: v.optional(integer(0, 65_535), '8000'),
  LOG_LEVEL: v.optional(oneOf(LOG_LEVELS)),
  MIGRATE_ON_START: v.optional(flag(), 'true'),
  // Required: unset, it is the empty secret, refused as too short.
  JWT_SECRET_KEY: v.optional(secret(), ''),
  // The key the refresh grace window's pairs are sealed with: required in production (below),
  // elsewhere JWT_SECRET_KEY stands in for it.
  SECRET_KEY: v.optional(secret()),
  JWT_ISSUER: v.optional(text(), 'chat-backend'),
  JWT_AUDIENCE: v.optional(text(), 'chat-backend'),
  ACCESS_TOKEN_TTL: v.optional(duration(), '15m'),
  REFRESH_TOKEN_TTL: v.optional(duration(), '30d'),
  REFRESH_REUSE_GRACE: v.optional(shortDuration(0, MAX_REFRESH_REUSE_GRACE_SECONDS), DEFAULT_REFRESH_REUSE_GRACE),
  BCRYPT_ROUNDS: v.optional(integer(4, 15), '12'),
  BODY_LIMIT: v.optional(size(), '1mb'),
  MESSAGE_MAX_CHARS: v.optional(integer(1, MESSAGE_MAX_CHARS_CEILING), String(MESSAGE_MAX_CHARS_DEFAULT)),
  CORS_ORIGINS: v.optional(
    v.pipe(
      v.string(CORS_RULE),
      v.transform((list) => list.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')),
      v.check((origins) => !origins.includes('*'), CORS_RULE),
    ),
    '',
  ),
  LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: v.optional(integer(1, 1000), '5'),
  LOGIN_MAX_FAILURES_PER_ADDRESS: v.optional(integer(1, 100_000), '20'),
  LOGIN_FAILURE_WINDOW: v.optional(duration(), '15m'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: v.optional(integer(1, 1_000_000), '100'),
  LOGIN_ACCOUNT_FAILURE_WINDOW: v.optional(duration(), '24h'),
  REGISTRATIONS_PER_ADDRESS: v.optional(integer(1, 1_000_000), '10'),
  REGISTRATION_WINDOW: v.optional(duration(), '1h'),
  MESSAGE_WRITES_PER_MINUTE: v.optional(integer(1, 10_000_000), '3000'),
  PASSWORD_HASH_CONCURRENCY: v.optional(integer(1, 256), '4'),
  PASSWORD_HASH_QUEUE: v.optional(integer(0, 100_000), '64'),
  TRUST_PROXY: v.optional(flag(), 'false'),
  REDIS_URL: v.optional(matching(/^rediss?:\/\/\S+$/, 'a URL like redis://host:6379 (or rediss:// for TLS)')),
  REDIS_KEY_PREFIX: v.optional(matching(/^[\w:.-]{1,64}$/, '1-64 letters, digits and _ : . -'), 'chat:'),
  EVENT_HISTORY_SIZE: v.optional(integer(1, 100_000), '1000'),
  EVENT_HISTORY_TTL: v.optional(duration(), '24h'),
  EVENT_HISTORY_MAX_BYTES: v.optional(size(), '4mb'),
  REALTIME_MAX_CONNECTIONS_PER_USER: v.optional(integer(1, 100_000), '20'),
  WS_PING_INTERVAL: v.optional(duration(), '30s'),
  SSE_KEEPALIVE_INTERVAL: v.optional(duration(), '15s'),
  // Slow clients (the defaults and why: README, Configuration). Each is counted from the first
  // byte of a request, so they cap how long a connection can be held without a whole request.
  HTTP_HEADERS_TIMEOUT: v.optional(duration(), '10s'),
  HTTP_REQUEST_TIMEOUT: v.optional(duration(), '30s'),
  HTTP_KEEP_ALIVE_TIMEOUT: v.optional(duration(), '5s'),
  // Unset, there is no metrics listener at all.
  METRICS_PORT: v.optional(integer(0, 65_535)),
  METRICS_HOST: v.optional(text(), '127.0.0.1'),
});

/** Node refuses to create a server whose headers may take longer than the whole request. */
const serverSchema = v.pipe(
  serverVariables,
  v.forward(
    v.partialCheck(
      [['HTTP_HEADERS_TIMEOUT'], ['HTTP_REQUEST_TIMEOUT']],
      (e) => e.HTTP_HEADERS_TIMEOUT <= e.HTTP_REQUEST_TIMEOUT,
      (issue) => `a duration of at most HTTP_REQUEST_TIMEOUT (${issue.input.HTTP_REQUEST_TIMEOUT} s)`,
    ),
    ['HTTP_HEADERS_TIMEOUT'],
  ),
);

/** The server's variables and the database's, read from the same environment into one `AppConfig`. */
const appConfigSchema = v.pipe(
  v.intersect([serverSchema, v.pipe(databaseConfigSchema, v.transform((database) => ({ database })))]),
  // A production server must not seal with the signing key: a leak of either would then open both.
  v.forward(
    v.partialCheck(
      [['NODE_ENV'], ['SECRET_KEY']],
      (e) => e.NODE_ENV !== 'production' || e.SECRET_KEY !== undefined,
      `set in production, to ${SECRET_RULE}`,
    ),
    ['SECRET_KEY'],
  ),
  // The pair handed out again inside the window must still carry a live access token.
  v.forward(
    v.partialCheck(
      [['REFRESH_REUSE_GRACE'], ['ACCESS_TOKEN_TTL']],
      (e) => e.REFRESH_REUSE_GRACE < e.ACCESS_TOKEN_TTL,
      `shorter than ACCESS_TOKEN_TTL (unset, it is ${DEFAULT_REFRESH_REUSE_GRACE})`,
    ),
    ['REFRESH_REUSE_GRACE'],
  ),
  v.transform(
    (e): AppConfig => ({
      nodeEnv: e.NODE_ENV,
      host: e.HOST,
      port: e.PORT,
      logLevel: e.LOG_LEVEL ?? DEFAULT_LOG_LEVEL[e.NODE_ENV],
      database: e.database,
      migrateOnStart: e.MIGRATE_ON_START,
      jwt: {
        secret: e.JWT_SECRET_KEY,
        issuer: e.JWT_ISSUER,
        audience: e.JWT_AUDIENCE,
        accessTtlSeconds: e.ACCESS_TOKEN_TTL,
        refreshTtlSeconds: e.REFRESH_TOKEN_TTL,
      },
      refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE,
      secretKey: e.SECRET_KEY ?? e.JWT_SECRET_KEY,
      bcryptRounds: e.BCRYPT_ROUNDS,
      bodyLimitBytes: e.BODY_LIMIT,
      messageMaxChars: e.MESSAGE_MAX_CHARS,
      corsOrigins: e.CORS_ORIGINS,
      passwordHashing: { concurrency: e.PASSWORD_HASH_CONCURRENCY, queueLimit: e.PASSWORD_HASH_QUEUE },
      throttling: {
        passwordFailures: {
          perAccountAndAddress: { points: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, windowSeconds: e.LOGIN_FAILURE_WINDOW },
          perAddress: { points: e.LOGIN_MAX_FAILURES_PER_ADDRESS, windowSeconds: e.LOGIN_FAILURE_WINDOW },
          perAccount: { points: e.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowSeconds: e.LOGIN_ACCOUNT_FAILURE_WINDOW },
        },
        registrationsPerAddress: { points: e.REGISTRATIONS_PER_ADDRESS, windowSeconds: e.REGISTRATION_WINDOW },
        messageWritesPerUser: { points: e.MESSAGE_WRITES_PER_MINUTE, windowSeconds: 60 },
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
      httpTimeouts: {
        headersSeconds: e.HTTP_HEADERS_TIMEOUT,
        requestSeconds: e.HTTP_REQUEST_TIMEOUT,
        keepAliveSeconds: e.HTTP_KEEP_ALIVE_TIMEOUT,
      },
      metrics: e.METRICS_PORT === undefined ? null : { host: e.METRICS_HOST, port: e.METRICS_PORT },
    }),
  ),
);

/** Validates `env` into an `AppConfig`, or throws a `ConfigError` naming the variable at fault. */
export const parseConfig = (env: Environment): AppConfig => parseEnvironment(appConfigSchema, env);
