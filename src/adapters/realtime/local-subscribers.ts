import type { FrameListener, LoginsEndedListener } from './event-streams.js';
import { isDelta, type DegradedFrame, type DeltaFrame, type ResyncFrame, type StreamEvent, type StreamFrame, type StreamPosition } from './stream-frame.js';

interface Subscriber {
  readonly userId: string;
  readonly listener: FrameListener;
  /** Live events and deltas that arrived while the replay was being read, in order; null once live. */
  pending: Array<StreamEvent | DeltaFrame> | null;
  /**
   * The last position delivered; null before `ready`, and `resynced` after a `resync` (the client
   * reloads anyway, so the next event is taken as it comes, with no second `resync`).
   */
  position: StreamPosition | 'resynced' | null;
}

/**
 * The subscribers of this instance, and the rules of delivery both adapters share: live events
 * are held back until the replay and `ready` are out, an event already delivered (replayed, then
 * heard live) is dropped, and a jump in the stream (another epoch, a skipped offset) is announced
 * with `resync` because something was missed.
 */
export class LocalSubscribers {
  private readonly byUser = new Map<string, Set<Subscriber>>();
  private readonly loginsEndedListeners = new Set<LoginsEndedListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  /** Registers a subscriber that holds live events back until `start`. */
  add(userId: string, listener: FrameListener): Subscriber {
    const subscriber: Subscriber = { userId, listener, pending: [], position: null };
    let subscribers = this.byUser.get(userId);
    if (!subscribers) this.byUser.set(userId, (subscribers = new Set()));
    subscribers.add(subscriber);
    return subscriber;
  }

  /** Delivers the replay and `ready`, then whatever was held back, and goes live. */
  start(subscriber: Subscriber, replay: readonly StreamEvent[], head: StreamPosition, recovered: boolean): void {
    for (const event of replay) this.emit(subscriber, event);
    subscriber.position = { epoch: head.epoch, offset: head.offset };
    this.emit(subscriber, { type: 'ready', epoch: head.epoch, offset: head.offset, recovered });
    const pending = subscriber.pending ?? [];
    subscriber.pending = null;
    for (const frame of pending) {
      if (isDelta(frame)) this.emit(subscriber, frame);
      else this.deliverTo(subscriber, frame);
    }
  }

  remove(subscriber: Subscriber): void {
    const subscribers = this.byUser.get(subscriber.userId);
    if (!subscribers?.delete(subscriber)) return;
    if (subscribers.size === 0) this.byUser.delete(subscriber.userId);
  }

  hasSubscribers(userId: string): boolean {
    return this.byUser.has(userId);
  }

  deliver(userId: string, event: StreamEvent): void {
    const subscribers = this.byUser.get(userId);
    if (!subscribers) return;
    for (const subscriber of [...subscribers]) this.deliverTo(subscriber, event);
  }

  /**
   * A delta to every subscriber of the user, in the order it came among the events. It has no
   * position to check: a subscriber still reading its replay gets it right after `ready`.
   */
  deliverDelta(userId: string, delta: DeltaFrame): void {
    const subscribers = this.byUser.get(userId);
    if (!subscribers) return;
    for (const subscriber of [...subscribers]) {
      if (subscriber.pending !== null) subscriber.pending.push(delta);
      else this.emit(subscriber, delta);
    }
  }

  /** One frame to one subscriber, outside the stream (`degraded` for one that missed the broadcast). */
  tell(subscriber: Subscriber, frame: StreamFrame): void {
    this.emit(subscriber, frame);
  }

  /** `degraded` or `resync`, to every live subscriber of this instance. */
  broadcast(frame: DegradedFrame | ResyncFrame): void {
    for (const subscribers of [...this.byUser.values()]) {
      for (const subscriber of [...subscribers]) {
        if (subscriber.pending !== null) continue;
        if (frame.type === 'resync') subscriber.position = 'resynced';
        this.emit(subscriber, frame);
      }
    }
  }

  onLoginsEnded(listener: LoginsEndedListener): () => void {
    const entry: LoginsEndedListener = (userId, loginIds) => listener(userId, loginIds);
    this.loginsEndedListeners.add(entry);
    return () => {
      this.loginsEndedListeners.delete(entry);
    };
  }

  loginsEnded(userId: string, loginIds: readonly string[]): void {
    for (const listener of [...this.loginsEndedListeners]) {
      try {
        listener(userId, loginIds);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  private deliverTo(subscriber: Subscriber, event: StreamEvent): void {
    if (subscriber.pending !== null) {
      subscriber.pending.push(event);
      return;
    }
    const position = subscriber.position;
    if (position !== 'resynced') {
      if (position && position.epoch === event.epoch && event.offset <= position.offset) return;
      if (!position || position.epoch !== event.epoch || event.offset !== position.offset + 1) {
        this.emit(subscriber, { type: 'resync' });
      }
    }
    subscriber.position = { epoch: event.epoch, offset: event.offset };
    this.emit(subscriber, event);
  }

  private emit(subscriber: Subscriber, frame: StreamFrame): void {
    try {
      subscriber.listener(frame);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}
