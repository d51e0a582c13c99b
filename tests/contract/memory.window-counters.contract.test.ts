import { ManualClock } from '../../src/adapters/system/manual.clock.js';
import { MemoryWindowCounters } from '../../src/adapters/throttling/memory.window-counters.js';
import { describeWindowCountersContract } from './window-counters.contract.js';

describeWindowCountersContract({
  name: 'memory',
  async open() {
    const clock = new ManualClock();
    const counters = new MemoryWindowCounters(clock);
    await counters.start();
    return {
      counters,
      passTime: async (ms) => clock.advance(ms),
      close: () => counters.close(),
    };
  },
});
