/**
 * What the in-process streams add to the shared contract: memory follows the users active within
 * the history's age, and a stream someone listens to keeps its epoch however quiet it is.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/application/ports/event-publisher.port.js';
import { InProcessEventStreams } from '../../../src/adapters/realtime/in-process.event-streams.js';
import type { StreamFrame } from '../../../src/adapters/realtime/stream-frame.js';
import { ManualClock } from '../../../src/adapters/system/manual.clock.js';
import { at, HOUR } from '../../support/builders.js';

const deleted = (userId: string): DomainEvent => ({ type: 'session.deleted', userId, sessionId: 1 });
const readyOf = async (streams: InProcessEventStreams, userId: string) => {
  const frames: StreamFrame[] = [];
  const subscription = await streams.subscribe(userId, (frame) => frames.push(frame));
  return { ready: frames.find((frame) => frame.type === 'ready'), subscription };
};

describe('InProcessEventStreams', () => {
  it("when a user's stream has been idle longer than the history keeps, it starts again under a new epoch", async () => {
    const clock = new ManualClock(at(0));
    const streams = new InProcessEventStreams({ history: { maxEvents: 10, maxAgeMs: HOUR, maxBytes: 1024 * 1024 }, clock });
    await streams.publish(deleted('idle'));
    const before = await readyOf(streams, 'idle');
    before.subscription.close();

    clock.advance(HOUR + 1);
    await streams.publish(deleted('someone-else'));
    const after = await readyOf(streams, 'idle');
    expect(after.ready).toMatchObject({ offset: 0, recovered: false });
    expect(after.ready).not.toMatchObject({ epoch: (before.ready as { epoch: string }).epoch });
  });

  it('when a quiet stream has a subscriber, it keeps its epoch and offset past the history age', async () => {
    const clock = new ManualClock(at(0));
    const streams = new InProcessEventStreams({ history: { maxEvents: 10, maxAgeMs: HOUR, maxBytes: 1024 * 1024 }, clock });
    await streams.publish(deleted('listened'));
    const first = await readyOf(streams, 'listened');

    clock.advance(2 * HOUR);
    await streams.publish(deleted('someone-else'));
    const second = await readyOf(streams, 'listened');
    expect(second.ready).toEqual({ ...first.ready, recovered: false });
  });
});
