import type { EventPublisher } from '../../application/ports/event-publisher.port.js';
import type { StreamFrame, StreamPosition } from './stream-frame.js';

export type FrameListener = (frame: StreamFrame) => void;

export interface SubscribeOptions {
  /** Replay what came after this position, if the history still holds all of it. */
  readonly since?: StreamPosition | null;
}

export interface StreamSubscription {
  /** Stops delivery to this listener; calling it again does nothing. */
  close(): void;
}

export type LoginsEndedListener = (userId: string, loginIds: readonly string[]) => void;

/**
 * How much of each user's stream is kept for replay: the last `maxEvents`, none older than
 * `maxAgeMs`, and no more than `maxBytes` of payload (the newest event always stays).
 */
export interface HistoryLimits {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
  readonly maxBytes: number;
}

/**
 * Each user's events as a stream: the publisher gives every event the next offset of its user's
 * stream and keeps a bounded history; subscribers get a replay from a position, a `ready` frame,
 * then every new event of that user, from whichever instance published it.
 */
export interface EventStreams extends EventPublisher {
  /** Connects to what the streams live in (a no-op in process); throws when it cannot. */
  start(): Promise<void>;
  /**
   * Delivers to `listener`, in order: the events after `options.since` (when all of them are still
   * held), a `ready` frame, then live events, `degraded` and `resync`. Resolves once `ready` has
   * been delivered; rejects with an `UnavailableError` while the streams cannot deliver.
   */
  subscribe(userId: string, listener: FrameListener, options?: SubscribeOptions): Promise<StreamSubscription>;
  /** Told of every login that ends, on any instance, so connections opened with it can close. */
  onLoginsEnded(listener: LoginsEndedListener): () => void;
  /** Whether events are being delivered (false while Redis is unreachable). */
  isHealthy(): boolean;
  close(): Promise<void>;
}
