import type { DomainEvent } from '../../application/ports/event-publisher.port.js';
import type { EventStreams, FrameListener, LoginsEndedListener, StreamSubscription, SubscribeOptions } from '../realtime/event-streams.js';
import { isDelta, isStreamEvent } from '../realtime/stream-frame.js';

/** What counts the events (the Prometheus metrics). */
export interface EventMeter {
  /** An event this instance published, by its type. */
  published(type: string): void;
  /** An event handed to one of this instance's connections (a WebSocket, an event stream), by its type. */
  delivered(type: string): void;
}

/**
 * The streams, counted: every event published through them, and every event (replayed or live)
 * they hand to a subscriber of this instance, deltas among them. Control frames (`ready`, `degraded`, `resync`) are
 * not events and are not counted.
 */
export class MeteredEventStreams implements EventStreams {
  constructor(
    private readonly streams: EventStreams,
    private readonly meter: EventMeter,
  ) {}

  start(): Promise<void> {
    return this.streams.start();
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.streams.publish(event);
    this.meter.published(event.type);
  }

  subscribe(userId: string, listener: FrameListener, options?: SubscribeOptions): Promise<StreamSubscription> {
    return this.streams.subscribe(
      userId,
      (frame) => {
        if (isStreamEvent(frame) || isDelta(frame)) this.meter.delivered(frame.type);
        listener(frame);
      },
      options,
    );
  }

  onLoginsEnded(listener: LoginsEndedListener): () => void {
    return this.streams.onLoginsEnded(listener);
  }

  isHealthy(): boolean {
    return this.streams.isHealthy();
  }

  close(): Promise<void> {
    return this.streams.close();
  }
}
