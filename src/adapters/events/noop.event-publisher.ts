import type { DomainEvent, EventPublisher } from '../../application/ports/event-publisher.port.js';

/** For callers that want no notifications at all (scripts, one-off library use). */
export class NoopEventPublisher implements EventPublisher {
  async publish(_event: DomainEvent): Promise<void> {}
}
