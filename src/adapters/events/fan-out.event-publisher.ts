import type { DomainEvent, EventPublisher } from '../../application/ports/event-publisher.port.js';

/** Publishes every event to each of several publishers, in the order given. */
export class FanOutEventPublisher implements EventPublisher {
  private readonly publishers: readonly EventPublisher[];

  constructor(...publishers: EventPublisher[]) {
    this.publishers = publishers;
  }

  async publish(event: DomainEvent): Promise<void> {
    for (const publisher of this.publishers) await publisher.publish(event);
  }
}
