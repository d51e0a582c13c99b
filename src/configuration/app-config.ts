import type { DatabaseConfig } from './database-options.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The server's whole configuration, as `parseConfig` makes it from the environment. */
export interface AppConfig {
  readonly nodeEnv: (typeof NODE_ENVS)[number];
  readonly host: string;
  readonly port: number;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly database: DatabaseConfig;
  readonly migrateOnStart: boolean;
  readonly jwt: {
    readonly secret: string;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
  };
  /**
   * How long after a rotation the refresh token it spent still gets that rotation's pair (tabs
   * refreshing at once) instead of counting as reuse; 0 is strict.
   */
  readonly refreshReuseGraceSeconds: number;
  /** What sealed data (the refresh grace window's pairs) is encrypted with; its own key in production. */
  readonly secretKey: string;
  readonly bcryptRounds: number;
  readonly bodyLimitBytes: number;
  /** The longest a message's text may be, in characters. */
  readonly messageMaxChars: number;
  readonly corsOrigins: readonly string[];
  /** At most `concurrency` password hashes and comparisons at once, and `queueLimit` waiting; more are refused (503). */
  readonly passwordHashing: { readonly concurrency: number; readonly queueLimit: number };
  /** Every rate limit; with `realtime.redis` set, their counts live in that Redis. */
  readonly throttling: ThrottlingConfig;
  /** Whether `X-Forwarded-For` is believed (only behind a proxy you run). */
  readonly trustProxy: boolean;
  readonly realtime: RealtimeConfig;
  /** How long a client may take over a request, and keep an idle connection (node:http's timeouts). */
  readonly httpTimeouts: { readonly headersSeconds: number; readonly requestSeconds: number; readonly keepAliveSeconds: number };
  /** The second listener serving `/metrics`; null when `METRICS_PORT` is unset (no listener at all). */
  readonly metrics: { readonly host: string; readonly port: number } | null;
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

/** At most `points` in each window of `windowSeconds`. */
export interface CountLimitConfig {
  readonly points: number;
  readonly windowSeconds: number;
}

export interface ThrottlingConfig {
  /** Failed password checks: of one account from one address, from one address, of one account. */
  readonly passwordFailures: {
    readonly perAccountAndAddress: CountLimitConfig;
    readonly perAddress: CountLimitConfig;
    readonly perAccount: CountLimitConfig;
  };
  readonly registrationsPerAddress: CountLimitConfig;
  readonly messageWritesPerUser: CountLimitConfig;
}
