import * as v from 'valibot';
import { sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export interface ClearMessagesInput {
  userId: string;
  sessionId: number | string;
}

/** Soft-deletes every message of a session; the session itself stays. */
export class ClearMessages {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: ClearMessagesInput): Promise<{ deletedCount: number }> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId } = validate(schema, input);
    const deletedCount = await this.transactions.run(async () => {
      if (!(await this.sessions.findOwned(sessionId, userId, { lock: true }))) throw sessionNotFound();
      // Empties the session's counters too (MessageRepository).
      return this.messages.deleteAllInSession(sessionId, this.clock.now());
    });
    await this.events.publish({ type: 'messages.cleared', userId, sessionId, deletedCount });
    return { deletedCount };
  }
}
