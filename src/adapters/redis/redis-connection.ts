import type { RedisOptions } from 'ioredis';

/** The URL with any password hidden, for messages and logs. */
export const safeRedisUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured REDIS_URL';
  }
};

/**
 * How every connection of the server to Redis behaves: connected by the adapter's `start`, never
 * queueing a command while Redis is away (it fails at once, so a request is never held by an
 * outage), a command unanswered for `commandTimeoutMs` failing, and reconnecting for ever, soon,
 * so that service resumes by itself once Redis is back.
 */
export const redisConnectionOptions = (options: { commandTimeoutMs?: number; connectTimeoutMs?: number } = {}): RedisOptions => ({
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResubscribe: false,
  commandTimeout: options.commandTimeoutMs ?? 1_000,
  connectTimeout: options.connectTimeoutMs ?? 3_000,
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 1_000),
});
