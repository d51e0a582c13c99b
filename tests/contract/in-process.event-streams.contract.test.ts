import { InProcessEventStreams } from '../../src/adapters/realtime/in-process.event-streams.js';
import { describeEventStreamsContract } from './event-streams.contract.js';

describeEventStreamsContract({
  name: 'in-process',
  async open({ history, clock }) {
    const streams = new InProcessEventStreams({ history, clock });
    await streams.start();
    return streams;
  },
});
