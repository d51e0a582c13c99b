import { RedisEventStreams } from '../../src/adapters/realtime/redis.event-streams.js';
import { describeWithRedis, dropKeys, uniqueKeyPrefix } from '../support/redis-test.js';
import { silentLogger } from '../support/silent-logger.js';
import { describeEventStreamsContract } from './event-streams.contract.js';

describeWithRedis('redis', (url) => {
  describeEventStreamsContract({
    name: 'redis',
    async open({ history, clock }) {
      // A prefix of its own per stream opened: every test starts on empty streams.
      const keyPrefix = uniqueKeyPrefix();
      const streams = new RedisEventStreams({ url, keyPrefix, history, clock, logger: silentLogger });
      await streams.start();
      const close = streams.close.bind(streams);
      streams.close = async () => {
        await close();
        await dropKeys(url, keyPrefix);
      };
      return streams;
    },
  });
});
