import type { DomainEvent, EventPublisher } from '../../application/ports/event-publisher.port.js';

/** Keeps every published event so tests and the in-memory harness can assert on them. */
export class RecordingEventPublisher implements EventPublisher {
  private readonly recorded: DomainEvent[] = [];

  /** Oldest first. */
  get events(): readonly DomainEvent[] {
    return this.recorded;
  }

  async publish(event: DomainEvent): Promise<void> {
    this.recorded.push(event);
  }

  clear(): void {
    this.recorded.length = 0;
  }
}
