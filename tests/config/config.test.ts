/**
 * The configuration, unit by unit: defaults, the database it selects, every bad value refused
 * with a `ConfigError` that names the variable (the one line an operator reads), durations and
 * sizes, `.env` under the environment, and when a `.env` is written (development, first start
 * only) or never written (production).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AppConfig,
  ConfigError,
  ensureEnvFile,
  type Environment,
  loadConfig,
  parseConfig,
  readEnvironment,
} from '../../src/config.js';

/** 48 random-looking ASCII bytes: comfortably over the 32-byte minimum. */
const SECRET = 'k'.repeat(48);
/** The sealing key production requires apart from the signing key. */
const SEALING_SECRET = 's'.repeat(48);
const valid = (env: Environment = {}): Environment => ({ JWT_SECRET_KEY: SECRET, ...env });

/** The `ConfigError` that `parseConfig(env)` throws (the test fails when it throws nothing). */
const configErrorOf = (env: Environment): ConfigError => {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
};

/** A bad value of each variable that can be wrong. */
const REFUSED = [
  ['PORT', { PORT: 'abc' }],
  ['PORT', { PORT: '65536' }],
  ['BCRYPT_ROUNDS', { BCRYPT_ROUNDS: '3' }],
  ['BCRYPT_ROUNDS', { BCRYPT_ROUNDS: '16' }],
  ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: 'soon' }],
  ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: '0' }],
  ['REFRESH_TOKEN_TTL', { REFRESH_TOKEN_TTL: '-5d' }],
  ['BODY_LIMIT', { BODY_LIMIT: '1gb?' }],
  ['BODY_LIMIT', { BODY_LIMIT: '512' }],
  ['DATABASE_URL', { DATABASE_URL: 'postgres://user:pw@db:5432/chat' }],
  ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
  ['DATABASE_URL', { DATABASE_URL: 'mysql://root@db:3306/chat-app;DROP' }],
  ['CORS_ORIGINS', { CORS_ORIGINS: '*' }],
  ['CORS_ORIGINS', { CORS_ORIGINS: 'https://app.example.com,*' }],
  ['NODE_ENV', { NODE_ENV: 'staging' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
  ['MIGRATE_ON_START', { MIGRATE_ON_START: 'maybe' }],
  ['MYSQL_PORT', { MYSQL_HOST: 'db', MYSQL_PORT: '0' }],
  ['MYSQL_DATABASE', { MYSQL_HOST: 'db', MYSQL_DATABASE: 'chat-app; DROP' }],
  ['DB_POOL_MAX', { DB_POOL_MAX: '0' }],
  ['TRUST_PROXY', { TRUST_PROXY: 'sometimes' }],
  ['LOGIN_FAILURE_WINDOW', { LOGIN_FAILURE_WINDOW: '1w' }],
  ['LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS', { LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: '0' }],
  ['LOGIN_MAX_FAILURES_PER_ACCOUNT', { LOGIN_MAX_FAILURES_PER_ACCOUNT: 'many' }],
  ['LOGIN_ACCOUNT_FAILURE_WINDOW', { LOGIN_ACCOUNT_FAILURE_WINDOW: '0' }],
  ['REGISTRATIONS_PER_ADDRESS', { REGISTRATIONS_PER_ADDRESS: '0' }],
  ['REGISTRATION_WINDOW', { REGISTRATION_WINDOW: 'hourly' }],
  ['MESSAGE_WRITES_PER_MINUTE', { MESSAGE_WRITES_PER_MINUTE: '-1' }],
  ['PASSWORD_HASH_CONCURRENCY', { PASSWORD_HASH_CONCURRENCY: '0' }],
  ['PASSWORD_HASH_QUEUE', { PASSWORD_HASH_QUEUE: 'unbounded' }],
  ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
  ['REDIS_KEY_PREFIX', { REDIS_KEY_PREFIX: 'chat prefix' }],
  ['EVENT_HISTORY_SIZE', { EVENT_HISTORY_SIZE: '0' }],
  ['EVENT_HISTORY_TTL', { EVENT_HISTORY_TTL: 'forever' }],
  ['EVENT_HISTORY_MAX_BYTES', { EVENT_HISTORY_MAX_BYTES: 'lots' }],
  ['REALTIME_MAX_CONNECTIONS_PER_USER', { REALTIME_MAX_CONNECTIONS_PER_USER: '0' }],
  ['WS_PING_INTERVAL', { WS_PING_INTERVAL: '0' }],
  ['SSE_KEEPALIVE_INTERVAL', { SSE_KEEPALIVE_INTERVAL: '1w' }],
  ['REFRESH_REUSE_GRACE', { REFRESH_REUSE_GRACE: 'soon' }],
  ['REFRESH_REUSE_GRACE', { REFRESH_REUSE_GRACE: '61' }],
  ['REFRESH_REUSE_GRACE', { REFRESH_REUSE_GRACE: '-1' }],
  ['REFRESH_REUSE_GRACE', { REFRESH_REUSE_GRACE: '20', ACCESS_TOKEN_TTL: '20' }],
  ['HTTP_HEADERS_TIMEOUT', { HTTP_HEADERS_TIMEOUT: '0' }],
  // Longer than the whole request may take (30 s by default): Node would refuse to start.
  ['HTTP_HEADERS_TIMEOUT', { HTTP_HEADERS_TIMEOUT: '1m' }],
  ['HTTP_REQUEST_TIMEOUT', { HTTP_REQUEST_TIMEOUT: 'soon' }],
  ['HTTP_KEEP_ALIVE_TIMEOUT', { HTTP_KEEP_ALIVE_TIMEOUT: '1w' }],
  ['METRICS_PORT', { METRICS_PORT: '65536' }],
  ['METRICS_PORT', { METRICS_PORT: 'on' }],
  ['MESSAGE_MAX_CHARS', { MESSAGE_MAX_CHARS: '0' }],
  ['MESSAGE_MAX_CHARS', { MESSAGE_MAX_CHARS: '1000001' }],
  ['MESSAGE_MAX_CHARS', { MESSAGE_MAX_CHARS: 'long' }],
] as const;

describe('parseConfig', () => {
  describe('defaults', () => {
    it('serves on 0.0.0.0:8000 from the embedded database file, with the secure defaults', () => {
      const config = parseConfig(valid());

      expect(config).toMatchObject({
        nodeEnv: 'development',
        host: '0.0.0.0',
        port: 8000,
        logLevel: 'debug',
        database: { kind: 'sqlite', path: './data/chat.sqlite' },
        migrateOnStart: true,
        jwt: { secret: SECRET, issuer: 'chat-backend', audience: 'chat-backend', accessTtlSeconds: 900, refreshTtlSeconds: 30 * 86_400 },
        refreshReuseGraceSeconds: 10,
        secretKey: SECRET,
        bcryptRounds: 12,
        bodyLimitBytes: 1024 * 1024,
        corsOrigins: [],
        passwordHashing: { concurrency: 4, queueLimit: 64 },
        throttling: {
          passwordFailures: {
            perAccountAndAddress: { points: 5, windowSeconds: 900 },
            perAddress: { points: 20, windowSeconds: 900 },
            perAccount: { points: 100, windowSeconds: 86_400 },
          },
          registrationsPerAddress: { points: 10, windowSeconds: 3600 },
          messageWritesPerUser: { points: 3000, windowSeconds: 60 },
        },
        trustProxy: false,
        realtime: {
          redis: null,
          historySize: 1000,
          historyTtlSeconds: 24 * 3600,
          historyMaxBytes: 4 * 1024 * 1024,
          maxConnectionsPerUser: 20,
          pingIntervalSeconds: 30,
          keepAliveSeconds: 15,
        },
        httpTimeouts: { headersSeconds: 10, requestSeconds: 30, keepAliveSeconds: 5 },
        metrics: null,
      });
    });

    it('logs at info in production and not at all in tests, unless LOG_LEVEL says otherwise', () => {
      expect(parseConfig(valid({ NODE_ENV: 'production', SECRET_KEY: SEALING_SECRET })).logLevel).toBe('info');
      expect(parseConfig(valid({ NODE_ENV: 'test' })).logLevel).toBe('silent');
      expect(parseConfig(valid({ NODE_ENV: 'production', SECRET_KEY: SEALING_SECRET, LOG_LEVEL: 'warn' })).logLevel).toBe('warn');
    });

    it('keeps SECRET_KEY apart from JWT_SECRET_KEY when both are given', () => {
      expect(parseConfig(valid({ SECRET_KEY: SEALING_SECRET })).secretKey).toBe(SEALING_SECRET);
    });

    it('reads the rest of the variables as given', () => {
      const config = parseConfig(
        valid({
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: '0',
          SQLITE_PATH: '/var/lib/chat/db.sqlite',
          MIGRATE_ON_START: 'false',
          BCRYPT_ROUNDS: '4',
          CORS_ORIGINS: 'https://app.example.com, https://admin.example.com,',
          TRUST_PROXY: 'yes',
          REDIS_URL: 'redis://127.0.0.1:6379',
          REDIS_KEY_PREFIX: 'chat-staging:',
          EVENT_HISTORY_SIZE: '500',
          EVENT_HISTORY_TTL: '2h',
          EVENT_HISTORY_MAX_BYTES: '512kb',
          REALTIME_MAX_CONNECTIONS_PER_USER: '1000',
          WS_PING_INTERVAL: '10s',
          SSE_KEEPALIVE_INTERVAL: '5',
          LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: '3',
          LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
          LOGIN_FAILURE_WINDOW: '10m',
          LOGIN_MAX_FAILURES_PER_ACCOUNT: '500',
          LOGIN_ACCOUNT_FAILURE_WINDOW: '2d',
          REGISTRATIONS_PER_ADDRESS: '100',
          REGISTRATION_WINDOW: '30m',
          MESSAGE_WRITES_PER_MINUTE: '600',
          PASSWORD_HASH_CONCURRENCY: '8',
          PASSWORD_HASH_QUEUE: '0',
        }),
      );

      expect(config).toMatchObject({
        nodeEnv: 'test',
        host: '127.0.0.1',
        port: 0,
        database: { kind: 'sqlite', path: '/var/lib/chat/db.sqlite' },
        migrateOnStart: false,
        bcryptRounds: 4,
        corsOrigins: ['https://app.example.com', 'https://admin.example.com'],
        trustProxy: true,
        passwordHashing: { concurrency: 8, queueLimit: 0 },
        throttling: {
          passwordFailures: {
            perAccountAndAddress: { points: 3, windowSeconds: 600 },
            perAddress: { points: 50, windowSeconds: 600 },
            perAccount: { points: 500, windowSeconds: 2 * 86_400 },
          },
          registrationsPerAddress: { points: 100, windowSeconds: 1800 },
          messageWritesPerUser: { points: 600, windowSeconds: 60 },
        },
        realtime: {
          redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'chat-staging:' },
          historySize: 500,
          historyTtlSeconds: 7200,
          historyMaxBytes: 512 * 1024,
          maxConnectionsPerUser: 1000,
          pingIntervalSeconds: 10,
          keepAliveSeconds: 5,
        },
      });
    });
  });

  describe('the database', () => {
    const defaultPool = { min: 0, max: 10, acquireTimeoutMs: 5000, connectTimeoutMs: 3000, statementTimeoutMs: 15_000 };

    it('MYSQL_HOST selects the database server, with the seed defaults for the rest', () => {
      expect(parseConfig(valid({ MYSQL_HOST: 'db.internal' })).database).toEqual({
        kind: 'mysql',
        host: 'db.internal',
        port: 3306,
        user: 'root',
        password: '',
        database: 'chat_app',
        pool: defaultPool,
      });
    });

    it('takes every MYSQL_* and DB_* variable', () => {
      const env = valid({
        MYSQL_HOST: '10.0.0.5',
        MYSQL_PORT: '3307',
        MYSQL_USER: 'chat',
        MYSQL_PASSWORD: 's3cret',
        MYSQL_DATABASE: 'chat_prod',
        DB_POOL_MIN: '2',
        DB_POOL_MAX: '20',
        DB_ACQUIRE_TIMEOUT_MS: '1000',
        DB_CONNECT_TIMEOUT_MS: '500',
      });

      expect(parseConfig(env).database).toEqual({
        kind: 'mysql',
        host: '10.0.0.5',
        port: 3307,
        user: 'chat',
        password: 's3cret',
        database: 'chat_prod',
        pool: { min: 2, max: 20, acquireTimeoutMs: 1000, connectTimeoutMs: 500, statementTimeoutMs: 15_000 },
      });
    });

    it('DATABASE_URL selects the database server, url-decoding the user and the password', () => {
      const url = 'mysql://chat%40app:p%40ss%3Aw%2Frd@db.example.com:3310/chat_prod';

      expect(parseConfig(valid({ DATABASE_URL: url })).database).toEqual({
        kind: 'mysql',
        host: 'db.example.com',
        port: 3310,
        user: 'chat@app',
        password: 'p@ss:w/rd',
        database: 'chat_prod',
        pool: defaultPool,
      });
    });

    it('defaults the DATABASE_URL port to 3306 and the user to root', () => {
      expect(parseConfig(valid({ DATABASE_URL: 'mysql://127.0.0.1/chat_app' })).database).toMatchObject({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
        database: 'chat_app',
      });
    });

    it('when DATABASE_URL names no database, it uses chat_app, like MYSQL_DATABASE does', () => {
      expect(parseConfig(valid({ DATABASE_URL: 'mariadb://root@db:3306/' })).database).toMatchObject({ kind: 'mysql', database: 'chat_app' });
    });

    it('prefers DATABASE_URL over MYSQL_HOST', () => {
      const config = parseConfig(valid({ DATABASE_URL: 'mysql://u:p@from-url:3306/from_url', MYSQL_HOST: 'from-host' }));

      expect(config.database).toMatchObject({ kind: 'mysql', host: 'from-url', database: 'from_url' });
    });
  });

  describe('a bad value is refused with one line naming its variable', () => {
    it.each(REFUSED)('%s: %j', (variable, env) => {
      const error = configErrorOf(valid(env));

      expect(error.message).toContain(variable);
      expect(error.message).not.toContain('\n');
    });

    it.each(REFUSED)('%s: %j is refused in the one wording, NAME must be …, got "…"', (variable, env) => {
      const { message } = configErrorOf(valid(env));

      expect(message).toMatch(new RegExp(`^${variable} must be .+, got ".*"$`));
    });

    it('shows the value as it was given, escaped so that the message stays on one line', () => {
      expect(configErrorOf(valid({ PORT: 'abc' })).message).toBe('PORT must be a whole number from 0 to 65535, got "abc"');
      expect(configErrorOf(valid({ PORT: '80\n80' })).message).toBe('PORT must be a whole number from 0 to 65535, got "80\\n80"');
      expect(configErrorOf(valid({ EVENT_HISTORY_SIZE: '9'.repeat(500) })).message.length).toBeLessThan(200);
    });

    it('never shows a secret or the password of a URL, only what is wrong with it', () => {
      const short = configErrorOf({ JWT_SECRET_KEY: 'hunter2-hunter2' }).message;
      expect(short).not.toContain('hunter2');
      expect(short).toMatch(/^JWT_SECRET_KEY must be .+ at least 32 bytes .+, got 15 bytes$/);
      expect(configErrorOf({}).message).toMatch(/^JWT_SECRET_KEY must be .+, got nothing$/);

      for (const env of [
        { DATABASE_URL: 'postgres://chat:hunter2@db:5432/chat' },
        { DATABASE_URL: 'mysql://chat:hunter2@db:3306/chat-app' },
        { DATABASE_URL: 'mysql://chat:hunter2@db/%zz' },
        { REDIS_URL: 'redis//:hunter2@cache:6379' },
      ]) {
        const { message } = configErrorOf(valid(env));
        expect(message).not.toContain('hunter2');
        expect(message).not.toContain('chat:');
      }
    });

    it.each([
      ['missing', {}],
      ['empty', { JWT_SECRET_KEY: '' }],
      ['31 bytes', { JWT_SECRET_KEY: 'x'.repeat(31) }],
      ['15 two-byte characters (30 bytes)', { JWT_SECRET_KEY: 'é'.repeat(15) }],
    ] as const)('JWT_SECRET_KEY %s, in production and out of it', (_case, env) => {
      for (const NODE_ENV of ['production', 'development', 'test']) {
        const error = configErrorOf({ NODE_ENV, ...env });

        expect(error.message).toContain('JWT_SECRET_KEY');
        expect(error.message).not.toContain('\n');
      }
    });

    it('accepts a JWT_SECRET_KEY of exactly 32 bytes, counted in UTF-8', () => {
      const production = { NODE_ENV: 'production', SECRET_KEY: SEALING_SECRET };
      expect(parseConfig({ ...production, JWT_SECRET_KEY: 'x'.repeat(32) }).jwt.secret).toHaveLength(32);
      expect(parseConfig({ ...production, JWT_SECRET_KEY: 'é'.repeat(16) }).jwt.secret).toHaveLength(16);
    });

    it.each([
      ['empty-looking', { SECRET_KEY: ' x ' }],
      ['31 bytes', { SECRET_KEY: 'x'.repeat(31) }],
      ['15 two-byte characters (30 bytes)', { SECRET_KEY: 'é'.repeat(15) }],
    ] as const)('SECRET_KEY %s, in production and out of it: one line naming it, its length only', (_case, env) => {
      for (const NODE_ENV of ['production', 'development', 'test']) {
        const { message } = configErrorOf({ NODE_ENV, JWT_SECRET_KEY: SECRET, ...env });

        expect(message).toMatch(/^SECRET_KEY must be a random value of at least 32 bytes/);
        expect(message).toMatch(/got \d+ bytes$/);
      }
    });

    it('in production, SECRET_KEY is required: JWT_SECRET_KEY no longer stands in for it', () => {
      expect(configErrorOf({ NODE_ENV: 'production', JWT_SECRET_KEY: SECRET }).message).toBe(
        'SECRET_KEY must be set in production, to a random value of at least 32 bytes (where no .env exists, npm run db:setup writes one), got nothing',
      );
      expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: SECRET, SECRET_KEY: 'é'.repeat(16) }).secretKey).toBe('é'.repeat(16));
    });

    it('outside production, a missing SECRET_KEY falls back to JWT_SECRET_KEY', () => {
      for (const NODE_ENV of ['development', 'test']) {
        expect(parseConfig({ NODE_ENV, JWT_SECRET_KEY: SECRET }).secretKey).toBe(SECRET);
      }
    });

    it('names JWT_SECRET_KEY first when production has neither secret', () => {
      expect(configErrorOf({ NODE_ENV: 'production' }).message).toMatch(/^JWT_SECRET_KEY must be/);
    });

    it('names the setup command that really exists when the secret is missing', () => {
      const { message } = configErrorOf({ NODE_ENV: 'production' });
      const scripts = Object.keys(
        (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts,
      );
      const named = /npm run ([\w:-]+)/.exec(message)?.[1];

      if (named !== undefined) expect(scripts).toContain(named);
    });
  });

  describe('slow clients and metrics', () => {
    it('takes the HTTP timeouts as durations', () => {
      const config = parseConfig(valid({ HTTP_HEADERS_TIMEOUT: '20', HTTP_REQUEST_TIMEOUT: '2m', HTTP_KEEP_ALIVE_TIMEOUT: '65s' }));

      expect(config.httpTimeouts).toEqual({ headersSeconds: 20, requestSeconds: 120, keepAliveSeconds: 65 });
    });

    it('accepts headers that may take as long as the whole request, and says what the limit is when they may take longer', () => {
      expect(parseConfig(valid({ HTTP_HEADERS_TIMEOUT: '30s', HTTP_REQUEST_TIMEOUT: '30' })).httpTimeouts.headersSeconds).toBe(30);

      expect(configErrorOf(valid({ HTTP_HEADERS_TIMEOUT: '31', HTTP_REQUEST_TIMEOUT: '30' })).message).toBe(
        'HTTP_HEADERS_TIMEOUT must be a duration of at most HTTP_REQUEST_TIMEOUT (30 s), got "31"',
      );
    });

    it('serves metrics only when METRICS_PORT is set, on loopback unless METRICS_HOST says otherwise', () => {
      expect(parseConfig(valid({ METRICS_HOST: '0.0.0.0' })).metrics).toBeNull();
      expect(parseConfig(valid({ METRICS_PORT: '9464' })).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
      expect(parseConfig(valid({ METRICS_PORT: '0', METRICS_HOST: '10.0.0.7' })).metrics).toEqual({ host: '10.0.0.7', port: 0 });
    });
  });

  describe('durations', () => {
    it.each([
      ['900', 900],
      ['45s', 45],
      ['15m', 900],
      ['12h', 43_200],
      ['30d', 2_592_000],
    ])('%s is %i seconds', (value, seconds) => {
      expect(parseConfig(valid({ ACCESS_TOKEN_TTL: value })).jwt.accessTtlSeconds).toBe(seconds);
      expect(parseConfig(valid({ REFRESH_TOKEN_TTL: value })).jwt.refreshTtlSeconds).toBe(seconds);
      expect(parseConfig(valid({ LOGIN_FAILURE_WINDOW: value })).throttling.passwordFailures.perAccountAndAddress.windowSeconds).toBe(seconds);
    });
  });

  describe('the longest message', () => {
    it("is the seed's 5000 characters unless MESSAGE_MAX_CHARS raises it", () => {
      expect(parseConfig(valid()).messageMaxChars).toBe(5000);
      expect(parseConfig(valid({ MESSAGE_MAX_CHARS: '20000' })).messageMaxChars).toBe(20_000);
      expect(parseConfig(valid({ MESSAGE_MAX_CHARS: '1000000', BODY_LIMIT: '5mb' })).messageMaxChars).toBe(1_000_000);
    });

    it('refuses no limit at all, and more than the database column holds at 4 bytes a character', () => {
      expect(configErrorOf(valid({ MESSAGE_MAX_CHARS: '0' })).message).toMatch(/^MESSAGE_MAX_CHARS must be .*1.*1000000/);
      expect(configErrorOf(valid({ MESSAGE_MAX_CHARS: '1000001' })).message).toMatch(/^MESSAGE_MAX_CHARS must be /);
    });
  });

  describe('the refresh grace window', () => {
    it.each([
      ['0', 0],
      ['0s', 0],
      ['10', 10],
      ['2s', 2],
      ['1m', 60],
      ['60', 60],
    ])('REFRESH_REUSE_GRACE=%s is %i seconds (0 turns the window off)', (value, seconds) => {
      expect(parseConfig(valid({ REFRESH_REUSE_GRACE: value })).refreshReuseGraceSeconds).toBe(seconds);
    });

    it('refuses more than a minute and what ms reads but the README does not document', () => {
      for (const value of ['61', '2m', '1h', '1.5s', '500ms', '10 s', '-1s']) {
        expect(configErrorOf(valid({ REFRESH_REUSE_GRACE: value })).message, value).toBe(
          `REFRESH_REUSE_GRACE must be a duration like 10 (seconds), 10s or 1m, from 0 to 60 seconds, got ${JSON.stringify(value)}`,
        );
      }
    });

    it('refuses an access token that lives no longer than the default window, naming the window', () => {
      expect(configErrorOf(valid({ ACCESS_TOKEN_TTL: '10' })).message).toBe(
        'REFRESH_REUSE_GRACE must be shorter than ACCESS_TOKEN_TTL (unset, it is 10s), got nothing',
      );
      expect(parseConfig(valid({ ACCESS_TOKEN_TTL: '10', REFRESH_REUSE_GRACE: '0' })).jwt.accessTtlSeconds).toBe(10);
    });

    it('refuses a window as long as the access token lives: the pair handed out again must still work', () => {
      expect(configErrorOf(valid({ REFRESH_REUSE_GRACE: '30', ACCESS_TOKEN_TTL: '30s' })).message).toBe(
        'REFRESH_REUSE_GRACE must be shorter than ACCESS_TOKEN_TTL (unset, it is 10s), got "30"',
      );
      expect(parseConfig(valid({ REFRESH_REUSE_GRACE: '29', ACCESS_TOKEN_TTL: '30s' })).refreshReuseGraceSeconds).toBe(29);
    });
  });

  describe('sizes', () => {
    it.each([
      ['512kb', 512 * 1024],
      ['1mb', 1024 * 1024],
      ['2MB', 2 * 1024 * 1024],
      ['2048', 2048],
      ['4096b', 4096],
    ])('%s is %i bytes', (value, bytes) => {
      expect(parseConfig(valid({ BODY_LIMIT: value })).bodyLimitBytes).toBe(bytes);
    });
  });

  describe('durations and sizes, read by ms and bytes, mean what the README says', () => {
    const durations = {
      ACCESS_TOKEN_TTL: (config: AppConfig) => config.jwt.accessTtlSeconds,
      REFRESH_TOKEN_TTL: (config: AppConfig) => config.jwt.refreshTtlSeconds,
      LOGIN_FAILURE_WINDOW: (config: AppConfig) => config.throttling.passwordFailures.perAccountAndAddress.windowSeconds,
      LOGIN_ACCOUNT_FAILURE_WINDOW: (config: AppConfig) => config.throttling.passwordFailures.perAccount.windowSeconds,
      REGISTRATION_WINDOW: (config: AppConfig) => config.throttling.registrationsPerAddress.windowSeconds,
      EVENT_HISTORY_TTL: (config: AppConfig) => config.realtime.historyTtlSeconds,
      WS_PING_INTERVAL: (config: AppConfig) => config.realtime.pingIntervalSeconds,
      SSE_KEEPALIVE_INTERVAL: (config: AppConfig) => config.realtime.keepAliveSeconds,
    };
    const sizes = {
      BODY_LIMIT: (config: AppConfig) => config.bodyLimitBytes,
      EVENT_HISTORY_MAX_BYTES: (config: AppConfig) => config.realtime.historyMaxBytes,
    };

    it.each(Object.entries(durations))('%s: a bare number is seconds, and 1s, 1m, 1h, 1d agree with it', (variable, read) => {
      // With no grace window, which an access token of 1 second could not outlive.
      const seconds = (value: string) => read(parseConfig(valid({ [variable]: value, REFRESH_REUSE_GRACE: '0' })));

      expect(seconds('1')).toBe(1);
      expect(seconds('90')).toBe(90);
      expect(seconds('90s')).toBe(seconds('90'));
      expect(seconds('15m')).toBe(seconds('900'));
      expect(seconds('12h')).toBe(seconds('43200'));
      expect(seconds('30d')).toBe(seconds('2592000'));
    });

    it.each(Object.keys(durations))('%s refuses what ms reads but the README does not document', (variable) => {
      for (const value of ['1w', '1y', '1.5h', '500ms', '2 hours', '15M', '0s', '-5d', ' 15m', '15m ', '9'.repeat(17), `${'0'.repeat(100)}15m`]) {
        expect(configErrorOf(valid({ [variable]: value })).message, value).toMatch(new RegExp(`^${variable} must be a duration like`));
      }
    });

    it.each(Object.entries(sizes))('%s: a bare number is bytes, kb and mb are 1024-fold, any case', (variable, read) => {
      const bytes = (value: string) => read(parseConfig(valid({ [variable]: value })));

      expect(bytes('1024')).toBe(1024);
      expect(bytes('1kb')).toBe(1024);
      expect(bytes('1024b')).toBe(1024);
      expect(bytes('512KB')).toBe(512 * 1024);
      expect(bytes('4mb')).toBe(4 * 1024 * 1024);
    });

    it.each(Object.keys(sizes))('%s refuses what bytes reads loosely (or not at all) and anything under 1kb', (variable) => {
      for (const value of ['1gb?', '2048garbage', '1gb', '1.5mb', '-1mb', '1 mb', '0x10', '1023', '1023b', `${'9'.repeat(400)}mb`]) {
        expect(configErrorOf(valid({ [variable]: value })).message, value).toMatch(new RegExp(`^${variable} must be a size like`));
      }
    });
  });

  describe('a blank variable counts as unset', () => {
    it('takes the default for an empty or all-space value, as for one that is missing', () => {
      const blank = parseConfig(valid({ PORT: '', HOST: '  ', BODY_LIMIT: ' ', MYSQL_HOST: ' \t ', DB_POOL_MAX: '', SQLITE_PATH: '' }));

      expect(blank).toEqual(parseConfig(valid()));
    });
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chat-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('readEnvironment', () => {
    it('reads .env under the environment: a variable set in the environment wins', () => {
      const envFile = join(dir, '.env');
      writeFileSync(envFile, ['# comment', 'PORT=9000', 'HOST=127.0.0.1', 'JWT_SECRET_KEY="from the file"', ''].join('\n'));

      expect(readEnvironment({ PORT: '7000', NODE_ENV: 'test' }, envFile)).toEqual({
        PORT: '7000',
        HOST: '127.0.0.1',
        JWT_SECRET_KEY: 'from the file',
        NODE_ENV: 'test',
      });
    });

    it('a blank variable in the environment does not hide the value in .env', () => {
      const envFile = join(dir, '.env');
      writeFileSync(envFile, 'PORT=9000\n');

      expect(readEnvironment({ PORT: '  ' }, envFile)).toEqual({ PORT: '9000' });
    });

    it('returns the environment as it is when there is no .env', () => {
      const env = { PORT: '7000' };

      expect(readEnvironment(env, join(dir, '.env'))).toEqual({ PORT: '7000' });
    });
  });

  describe('ensureEnvFile', () => {
    it('writes a .env with two fresh secrets, readable only by its owner', () => {
      const envFile = join(dir, '.env');

      expect(ensureEnvFile(envFile)).toBe(true);

      const values = readEnvironment({}, envFile);
      expect(Object.keys(values).sort()).toEqual(['JWT_SECRET_KEY', 'SECRET_KEY']);
      expect(Buffer.byteLength(values['JWT_SECRET_KEY']!)).toBeGreaterThanOrEqual(32);
      expect(Buffer.byteLength(values['SECRET_KEY']!)).toBeGreaterThanOrEqual(32);
      expect(values['JWT_SECRET_KEY']).not.toBe(values['SECRET_KEY']);
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
    });

    it('generates different secrets each time', () => {
      ensureEnvFile(join(dir, 'a.env'));
      ensureEnvFile(join(dir, 'b.env'));

      expect(readEnvironment({}, join(dir, 'a.env'))['JWT_SECRET_KEY']).not.toBe(readEnvironment({}, join(dir, 'b.env'))['JWT_SECRET_KEY']);
    });

    it('never overwrites an existing file', () => {
      const envFile = join(dir, '.env');
      writeFileSync(envFile, 'PORT=9000\n');

      expect(ensureEnvFile(envFile)).toBe(false);
      expect(readFileSync(envFile, 'utf8')).toBe('PORT=9000\n');
    });
  });

  describe('loadConfig', () => {
    it('in development with no .env and no secret: writes one, says so, and uses its secret', () => {
      const { config, wroteEnvFile } = loadConfig({ NODE_ENV: 'development' }, dir);

      expect(wroteEnvFile).toBe(join(dir, '.env'));
      const written = readEnvironment({}, join(dir, '.env'));
      expect(config.jwt.secret).toBe(written['JWT_SECRET_KEY']);
      expect(config.secretKey).toBe(written['SECRET_KEY']);
    });

    it('without NODE_ENV (development by default) writes one as well', () => {
      expect(loadConfig({}, dir).wroteEnvFile).toBe(join(dir, '.env'));
    });

    it('reuses the .env it wrote: the next start has the same secret and writes nothing', () => {
      const first = loadConfig({ NODE_ENV: 'development' }, dir);
      const content = readFileSync(join(dir, '.env'), 'utf8');
      const second = loadConfig({ NODE_ENV: 'development' }, dir);

      expect(second.wroteEnvFile).toBeNull();
      expect(second.config.jwt.secret).toBe(first.config.jwt.secret);
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(content);
    });

    it('never overwrites an existing .env, even one without secrets, and reads it', () => {
      const content = `# mine\nJWT_SECRET_KEY=${'m'.repeat(40)}\nPORT=9100\n`;
      writeFileSync(join(dir, '.env'), content);

      const { config, wroteEnvFile } = loadConfig({ NODE_ENV: 'development', PORT: '9200' }, dir);

      expect(wroteEnvFile).toBeNull();
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(content);
      expect(config.jwt.secret).toBe('m'.repeat(40));
      expect(config.port).toBe(9200);
    });

    it('in development with JWT_SECRET_KEY in the environment writes nothing', () => {
      const { config, wroteEnvFile } = loadConfig({ NODE_ENV: 'development', JWT_SECRET_KEY: SECRET }, dir);

      expect(wroteEnvFile).toBeNull();
      expect(config.jwt.secret).toBe(SECRET);
      expect(() => statSync(join(dir, '.env'))).toThrow();
    });

    it('in production never writes a .env: a missing secret stops the start, naming JWT_SECRET_KEY', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' }, dir)).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'production' }, dir)).toThrow(/JWT_SECRET_KEY/);
      expect(() => statSync(join(dir, '.env'))).toThrow();
    });

    it('in production with the secrets writes nothing either', () => {
      const { config, wroteEnvFile } = loadConfig({ NODE_ENV: 'production', JWT_SECRET_KEY: SECRET, SECRET_KEY: SEALING_SECRET }, dir);

      expect(wroteEnvFile).toBeNull();
      expect(config.nodeEnv).toBe('production');
      expect(() => statSync(join(dir, '.env'))).toThrow();
    });

    it('in production reads an existing .env for the secrets', () => {
      writeFileSync(join(dir, '.env'), `JWT_SECRET_KEY=${'p'.repeat(32)}\nSECRET_KEY=${'q'.repeat(32)}\n`);

      const { config } = loadConfig({ NODE_ENV: 'production' }, dir);
      expect(config.jwt.secret).toBe('p'.repeat(32));
      expect(config.secretKey).toBe('q'.repeat(32));
    });

    it('a bad value in .env is named like one in the environment', () => {
      writeFileSync(join(dir, '.env'), `JWT_SECRET_KEY=${SECRET}\nBCRYPT_ROUNDS=3\n`);

      expect(() => loadConfig({ NODE_ENV: 'test' }, dir)).toThrow(/BCRYPT_ROUNDS/);
    });
  });
});
