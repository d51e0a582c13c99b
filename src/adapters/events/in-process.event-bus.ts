import type { DomainEvent, EventPublisher } from '../../application/ports/event-publisher.port.js';

export type EventListener = (event: DomainEvent) => void | Promise<void>;

export interface InProcessEventBusOptions {
  /** Told about a listener that threw or rejected, e.g. to log it; its own failures are ignored. */
  onListenerError?: (error: unknown, event: DomainEvent) => void;
}

/**
 * Delivers events to listeners in this process (the WebSocket gateway of a single instance).
 * A broken listener never fails the publisher: the change it reports is already committed.
 */
export class InProcessEventBus implements EventPublisher {
  // One entry per subscription, so subscribing the same function twice gives two independent
  // subscriptions and each unsubscribe removes only its own.
  private readonly subscriptions = new Set<{ readonly listener: EventListener }>();
  private readonly onListenerError: ((error: unknown, event: DomainEvent) => void) | undefined;

  constructor(options: InProcessEventBusOptions = {}) {
    this.onListenerError = options.onListenerError;
  }

  /** Returns the function that ends this subscription; calling it again does nothing. */
  subscribe(listener: EventListener): () => void {
    const subscription = { listener };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  get listenerCount(): number {
    return this.subscriptions.size;
  }

  async publish(event: DomainEvent): Promise<void> {
    // A snapshot: a listener that unsubscribes (or subscribes) while being notified must not
    // change who receives this event.
    const pending: Promise<void>[] = [];
    for (const { listener } of [...this.subscriptions]) {
      try {
        const result = listener(event);
        if (result !== undefined) {
          pending.push(Promise.resolve(result).catch((error: unknown) => this.report(error, event)));
        }
      } catch (error) {
        this.report(error, event);
      }
    }
    await Promise.all(pending);
  }

  private report(error: unknown, event: DomainEvent): void {
    try {
      this.onListenerError?.(error, event);
    } catch {
      // The error hook is for logging; if logging itself fails there is nothing better to do.
    }
  }
}
