import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { WindowCount, WindowCounter } from '../../application/ports/window-counters.port.js';
import { UnavailableError } from '../../domain/domain-error.js';
import { redisConnectionOptions, safeRedisUrl } from '../redis/redis-connection.js';
import type { CounterStore } from './counter-store.js';

export interface RedisWindowCountersOptions {
  readonly url: string;
  /** Prepended to every key, so several deployments can share one Redis. */
  readonly keyPrefix: string;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

/**
 * rate-limiter-flexible's increment, changed in one way: points taken back (a negative increment)
 * go only to a key that is still held, and never below zero. Its own script would create a key at
 * -1 when the window ended while an attempt was in flight, and that key would let one more through.
 * Every limiter of this adapter shares one client, on which rate-limiter-flexible defines its
 * command once per limiter: they must all define the same script.
 */
const INCREMENT_SCRIPT = `
local points = tonumber(ARGV[1])
if points < 0 then
  if redis.call('exists', KEYS[1]) == 0 then return {0, 0} end
  local left = redis.call('decrby', KEYS[1], -points)
  if left < 0 then left = redis.call('incrby', KEYS[1], -left) end
  return {left, redis.call('pttl', KEYS[1])}
end
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local count = redis.call('incrby', KEYS[1], points)
return {count, redis.call('pttl', KEYS[1])}
`;

const countOf = (result: RateLimiterRes | null): WindowCount =>
  result === null || result.consumedPoints <= 0
    ? { count: 0, msLeft: 0 }
    : { count: result.consumedPoints, msLeft: Math.max(0, result.msBeforeNext) };

/**
 * The counts in Redis, through rate-limiter-flexible's `RateLimiterRedis` on an ioredis client:
 * shared by every instance on that Redis, so a limit holds in sum. Each operation is one atomic
 * step in Redis (a script, or a transaction). Windows run on Redis's own clock, as key expiry:
 * that is what lets instances share them, and why this adapter takes no `Clock` (it is never
 * composed with the harness's manual one). A command that fails or goes unanswered (the connection
 * never queues one) is an `UnavailableError`; the outage and the recovery are logged once each.
 */
export class RedisWindowCounters implements CounterStore {
  private readonly client: Redis;
  private readonly counters = new Map<string, { windowMs: number; counter: WindowCounter }>();
  private down = false;

  constructor(private readonly options: RedisWindowCountersOptions) {
    this.client = new Redis(options.url, redisConnectionOptions(options));
    // ioredis reports every failed reconnect attempt; the outage is logged once, by `command`.
    this.client.on('error', () => undefined);
  }

  async start(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      this.client.disconnect();
      throw new Error(`cannot reach Redis at ${safeRedisUrl(this.options.url)}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    if (this.client.status !== 'ready') {
      this.client.disconnect();
      return;
    }
    await this.client.quit().catch(() => this.client.disconnect());
  }

  counter(name: string, { windowMs }: { readonly windowMs: number }): WindowCounter {
    const known = this.counters.get(name);
    if (known) {
      if (known.windowMs !== windowMs) throw new Error(`the counter ${name} already has a window of ${known.windowMs} ms`);
      return known.counter;
    }
    const limiter = new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${this.options.keyPrefix}throttle:${name}`,
      // Redis expires keys by the second; rate-limiter-flexible counts in points with no limit of
      // its own here (the application compares the counts with its limits).
      duration: Math.max(1, Math.ceil(windowMs / 1000)),
      points: Number.MAX_SAFE_INTEGER,
      customIncrTtlLuaScript: INCREMENT_SCRIPT,
    });
    const counter: WindowCounter = {
      add: (key, points = 1) => this.command(async () => countOf(await limiter.penalty(key, points))),
      subtract: (key, points = 1) => this.command(async () => void (await limiter.reward(key, points))),
      get: (key) => this.command(async () => countOf(await limiter.get(key))),
      hold: (key, count, ms) => this.command(async () => void (await limiter.set(key, count, Math.max(1, Math.ceil(ms / 1000))))),
      delete: (key) => this.command(async () => void (await limiter.delete(key))),
    };
    this.counters.set(name, { windowMs, counter });
    return counter;
  }

  private async command<T>(run: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      if (!this.down) {
        this.down = true;
        this.options.logger.warn({ err: error }, 'the rate-limit counters in Redis are unavailable');
      }
      throw new UnavailableError('Rate limiting is unavailable', { cause: error });
    }
    if (this.down) {
      this.down = false;
      this.options.logger.info('the rate-limit counters in Redis are back');
    }
    return result;
  }
}
