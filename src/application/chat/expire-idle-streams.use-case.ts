import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { IdleStream, MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { toMessageView, type MessageView } from '../views/message.view.js';

export interface ExpireIdleStreamsSettings {
  /** How long a streaming message may go without an append before it is incomplete (`STREAM_IDLE_TIMEOUT`). */
  readonly idleTimeoutMs: number;
  /** How many candidates one read takes; a run reads again while a read comes back full. */
  readonly batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 100;

/**
 * Turns every streaming message that has had no append for the idle timeout `incomplete`, and
 * tells its owner with an ordinary `message.updated`. Run periodically (one sweep, no timer per
 * message), by any number of instances over the same database at once: each candidate is decided
 * under its session's lock, on a fresh read, so a message is marked once, by one of them, and never
 * after an append that came in since the candidates were read.
 */
export class ExpireIdleStreams {
  private readonly batchSize: number;

  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
    private readonly settings: ExpireIdleStreamsSettings,
  ) {
    this.batchSize = settings.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /**
   * Answers how many messages this run marked (those another instance marked first are not
   * counted). A candidate that cannot be decided (a lock wait that timed out, a statement cut) is
   * passed over so the others are still decided; the run then rejects with every such failure.
   * Once `signal` is aborted no further candidate is started, so a shutdown waits for one at most.
   */
  async execute(options: { readonly signal?: AbortSignal } = {}): Promise<number> {
    const idleSince = new Date(this.clock.now().getTime() - this.settings.idleTimeoutMs);
    const failures: unknown[] = [];
    let marked = 0;
    for (;;) {
      const candidates = await this.messages.idleStreams(idleSince, this.batchSize);
      let markedNow = 0;
      for (const candidate of candidates) {
        if (options.signal?.aborted) break;
        try {
          if (await this.expire(candidate, idleSince)) markedNow += 1;
        } catch (error) {
          failures.push(error);
        }
      }
      marked += markedNow;
      // Each candidate leaves the set once decided (marked, moved by an append, or marked by
      // another instance), so a full read means more are waiting. One that marked nothing here
      // stops the run all the same, so that no read can ever repeat itself: the next run goes on.
      if (candidates.length < this.batchSize || markedNow === 0 || options.signal?.aborted) break;
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} idle stream(s) could not be decided; ${marked} marked`);
    }
    return marked;
  }

  /** One candidate, in its own transaction: locked, read again, and marked only if still idle. */
  private async expire(candidate: IdleStream, idleSince: Date): Promise<boolean> {
    const { sessionId, userId } = candidate;
    const view = await this.transactions.run(async (): Promise<MessageView | null> => {
      // The session's lock first, as every writer of its messages takes it: an append to this
      // message either committed before (and is seen below) or waits until this one is decided.
      if (!(await this.sessions.findOwned(sessionId, userId, { lock: true }))) return null;
      const message = await this.messages.findInSession(candidate.messageId, sessionId);
      if (!message?.markIncompleteIfIdle(idleSince, this.clock.now())) return null;
      await this.messages.save(message);
      return toMessageView(message);
    });
    if (view === null) return false;
    await this.events.publish({ type: 'message.updated', userId, sessionId, message: view });
    return true;
  }
}
