import { describe, expect, it } from 'vitest';

import type { DomainEvent } from '../../../src/application/ports/event-publisher.port.js';
import { NoopEventPublisher } from '../../../src/adapters/events/noop.event-publisher.js';

const sessionDeleted = (sessionId: number): DomainEvent => ({ type: 'session.deleted', userId: 'user-1', sessionId });

describe('NoopEventPublisher', () => {
  it('accepts any event and does nothing with it', async () => {
    await expect(new NoopEventPublisher().publish(sessionDeleted(1))).resolves.toBeUndefined();
  });
});
