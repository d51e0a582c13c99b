import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWithServices, REDIS, urlOf } from './required-services.js';

export const TEST_REDIS_URL = urlOf(REDIS);

/** A key prefix no other test uses, so tests sharing one Redis never see each other's streams. */
export const uniqueKeyPrefix = (): string => `chat-test-${randomBytes(6).toString('hex')}:`;

/** Deletes every key under `prefix` (the test's own streams). */
export const dropKeys = async (url: string, prefix: string): Promise<void> => {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};

/** `describe` for tests that need Redis (see `describeWithServices`); the body gets its URL. */
export const describeWithRedis = (title: string, body: (url: string) => void): void =>
  describeWithServices(title, [REDIS], () => body(TEST_REDIS_URL ?? ''));
