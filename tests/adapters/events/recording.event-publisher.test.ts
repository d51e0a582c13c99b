import { describe, expect, it } from 'vitest';

import type { DomainEvent } from '../../../src/application/ports/event-publisher.port.js';
import { RecordingEventPublisher } from '../../../src/adapters/events/recording.event-publisher.js';

const sessionDeleted = (sessionId: number): DomainEvent => ({ type: 'session.deleted', userId: 'user-1', sessionId });

describe('RecordingEventPublisher', () => {
  it('starts with no events', () => {
    expect(new RecordingEventPublisher().events).toEqual([]);
  });

  it('keeps published events in the order they were published', async () => {
    const publisher = new RecordingEventPublisher();

    await publisher.publish(sessionDeleted(1));
    await publisher.publish(sessionDeleted(2));

    expect(publisher.events).toEqual([sessionDeleted(1), sessionDeleted(2)]);
  });

  it('forgets every event when cleared', async () => {
    const publisher = new RecordingEventPublisher();
    await publisher.publish(sessionDeleted(1));

    publisher.clear();
    await publisher.publish(sessionDeleted(3));

    expect(publisher.events).toEqual([sessionDeleted(3)]);
  });
});
