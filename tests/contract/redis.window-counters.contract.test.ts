import { RedisWindowCounters } from '../../src/adapters/throttling/redis.window-counters.js';
import { describeWithRedis, dropKeys, uniqueKeyPrefix } from '../support/redis-test.js';
import { silentLogger } from '../support/silent-logger.js';
import { describeWindowCountersContract } from './window-counters.contract.js';

describeWithRedis('redis', (url) => {
  describeWindowCountersContract({
    name: 'redis',
    async open() {
      // A prefix of its own per store opened: every test starts on empty counters.
      const keyPrefix = uniqueKeyPrefix();
      const counters = new RedisWindowCounters({ url, keyPrefix, logger: silentLogger });
      await counters.start();
      return {
        counters,
        // Redis expires keys on its own clock, which only real time moves.
        passTime: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        close: async () => {
          await counters.close();
          await dropKeys(url, keyPrefix);
        },
      };
    },
  });
});
