import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL']?.trim() || undefined;
const REQUIRE_REDIS = process.env['REQUIRE_REDIS'] === '1';

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

/**
 * `describe` for tests that need Redis: they run when `TEST_REDIS_URL` is set; otherwise the run
 * says plainly that they were skipped, and under `REQUIRE_REDIS=1` (CI) the skip is a failure.
 */
export const describeWithRedis = (title: string, body: (url: string) => void): void => {
  if (TEST_REDIS_URL) {
    describe(title, () => body(TEST_REDIS_URL));
    return;
  }
  if (REQUIRE_REDIS) {
    describe(title, () => {
      it('needs TEST_REDIS_URL, because REQUIRE_REDIS=1 says Redis must not be skipped', () => {
        throw new Error('REQUIRE_REDIS=1 but TEST_REDIS_URL is not set (e.g. TEST_REDIS_URL=redis://127.0.0.1:6379)');
      });
    });
    return;
  }
  console.warn(`[redis] SKIPPED "${title}": set TEST_REDIS_URL=redis://127.0.0.1:6379 to run it against Redis`);
  describe.skip(`${title} (skipped: TEST_REDIS_URL is not set)`, () => body(''));
};
