import * as v from 'valibot';
import { messageNotFound, sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export interface DeleteMessageInput {
  userId: string;
  sessionId: number | string;
  messageId: number | string;
}

/** Soft-deletes one message: it leaves every list and is not found afterwards. */
export class DeleteMessage {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: DeleteMessageInput): Promise<void> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const messageId = parseResourceId(input?.messageId, messageNotFound);
    const { userId } = validate(schema, input);
    await this.transactions.run(async () => {
      // The session row first, as every writer to it takes it: its owner's, and locked.
      if (!(await this.sessions.findOwned(sessionId, userId, { lock: true }))) throw sessionNotFound();
      // Takes the message out of its session's counters too (MessageRepository).
      if (!(await this.messages.deleteInSession(messageId, sessionId, this.clock.now()))) throw messageNotFound();
    });
    await this.events.publish({ type: 'message.deleted', userId, sessionId, messageId });
  }
}
