import type { Clock } from '../../application/ports/clock.port.js';
import type { DomainEvent } from '../../application/ports/event-publisher.port.js';
import type { EventStreams, FrameListener, HistoryLimits, LoginsEndedListener, StreamSubscription, SubscribeOptions } from './event-streams.js';
import { LocalSubscribers } from './local-subscribers.js';
import { presentDelta, presentEvent } from './present-event.js';
import { recover } from './recovery.js';
import { positioned, type StreamEvent } from './stream-frame.js';
import { newEpoch } from './stream-position.schema.js';

interface UserStream {
  readonly epoch: string;
  offset: number;
  /** Oldest first, with the time each was published and the size of its payload. */
  readonly history: Array<{ readonly at: number; readonly bytes: number; readonly event: StreamEvent }>;
  /** The payload bytes the history holds. */
  bytes: number;
  lastUsedAt: number;
}

export interface InProcessEventStreamsOptions {
  readonly history: HistoryLimits;
  readonly clock: Clock;
  readonly onListenerError?: (error: unknown) => void;
}

/**
 * The streams of a single instance, in memory: each user's stream gets an epoch of its own when
 * it is first used, so a restart (which loses every history) can never be mistaken for the same
 * stream. Streams unused for longer than the history's age are dropped, so memory follows the
 * users active within that window rather than every user ever seen.
 */
export class InProcessEventStreams implements EventStreams {
  // Kept in order of last use, so the idle streams to drop are always at the front.
  private readonly streams = new Map<string, UserStream>();
  private readonly subscribers: LocalSubscribers;

  constructor(private readonly options: InProcessEventStreamsOptions) {
    this.subscribers = new LocalSubscribers(options.onListenerError);
  }

  async start(): Promise<void> {}

  async publish(event: DomainEvent): Promise<void> {
    if (event.type === 'logins.ended') {
      this.subscribers.loginsEnded(event.userId, event.loginIds);
      return;
    }
    if (event.type === 'message.delta') {
      this.subscribers.deliverDelta(event.userId, presentDelta(event));
      return;
    }
    const payload = presentEvent(event);
    if (!payload) return;
    const now = this.options.clock.now().getTime();
    const stream = this.streamOf(event.userId, now);
    stream.offset += 1;
    const streamEvent = positioned(payload, { epoch: stream.epoch, offset: stream.offset });
    // Counted as the Redis adapter counts it, so both keep the same history under the same limits.
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    stream.history.push({ at: now, bytes, event: streamEvent });
    stream.bytes += bytes;
    this.trim(stream, now);
    this.subscribers.deliver(event.userId, streamEvent);
  }

  async subscribe(userId: string, listener: FrameListener, options: SubscribeOptions = {}): Promise<StreamSubscription> {
    const now = this.options.clock.now().getTime();
    const stream = this.streamOf(userId, now);
    this.trim(stream, now);
    const subscriber = this.subscribers.add(userId, listener);
    const head = { epoch: stream.epoch, offset: stream.offset };
    const { replay, recovered } = recover(options.since, head, stream.history.map((entry) => entry.event));
    this.subscribers.start(subscriber, replay, head, recovered);
    return { close: () => this.subscribers.remove(subscriber) };
  }

  onLoginsEnded(listener: LoginsEndedListener): () => void {
    return this.subscribers.onLoginsEnded(listener);
  }

  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {}

  private streamOf(userId: string, now: number): UserStream {
    this.dropIdle(now);
    let stream = this.streams.get(userId);
    if (stream) {
      this.streams.delete(userId);
    } else {
      stream = { epoch: newEpoch(), offset: 0, history: [], bytes: 0, lastUsedAt: now };
    }
    stream.lastUsedAt = now;
    this.streams.set(userId, stream);
    return stream;
  }

  private trim(stream: UserStream, now: number): void {
    const { maxEvents, maxAgeMs, maxBytes } = this.options.history;
    const history = stream.history;
    let drop = 0;
    let bytes = stream.bytes;
    // The newest event always stays, however large: a position just before it can still be served.
    while (drop < history.length - 1 && (history.length - drop > maxEvents || bytes > maxBytes)) {
      bytes -= history[drop]?.bytes ?? 0;
      drop += 1;
    }
    while (drop < history.length && (history[drop]?.at ?? now) < now - maxAgeMs) {
      bytes -= history[drop]?.bytes ?? 0;
      drop += 1;
    }
    if (drop > 0) history.splice(0, drop);
    stream.bytes = bytes;
  }

  private dropIdle(now: number): void {
    for (const [userId, stream] of this.streams) {
      if (stream.lastUsedAt >= now - this.options.history.maxAgeMs) break;
      this.streams.delete(userId);
      // A stream someone listens to keeps its epoch (dropping it would make their position
      // meaningless): it counts as used now and goes to the back.
      if (this.subscribers.hasSubscribers(userId)) {
        stream.lastUsedAt = now;
        this.streams.set(userId, stream);
      }
    }
  }
}
