import * as v from 'valibot';
import { sessionNotFound } from '../../domain/domain-error.js';
import { DEFAULT_SENDER, Message, type Sender } from '../../domain/message.entity.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { CountLimit } from '../throttling/count-limit.service.js';
import { senderField, textField, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import { toMessageView, type MessageView } from '../views/message.view.js';

const schema = v.object(
  { userId: userIdField, text: textField, sender: v.nullish(senderField, DEFAULT_SENDER) },
  'must be an object',
);

export interface SendMessageInput {
  userId: string;
  sessionId: number | string;
  text: string;
  /** Defaults to `user`, as does null. */
  sender?: Sender | null;
}

/**
 * Adds a message to one of the caller's sessions and makes that session the most recent. Counts
 * against the user's limit on message writes.
 */
export class SendMessage {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
    private readonly messageWrites: CountLimit,
  ) {}

  async execute(input: SendMessageInput): Promise<MessageView> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId, text, sender } = validate(schema, input);
    await this.messageWrites.take(userId);
    const view = await this.transactions.run(async () => {
      // The session row is locked before the message is inserted: the insert's foreign-key check
      // takes a shared lock on it, and upgrading that lock afterwards deadlocks concurrent senders.
      if (!(await this.sessions.findOwned(sessionId, userId, { lock: true }))) throw sessionNotFound();
      const message = Message.create({ sessionId, text, sender, now: this.clock.now() });
      // Counts the message in its session too: one more, sent last (MessageRepository).
      await this.messages.add(message);
      return toMessageView(message);
    });
    await this.events.publish({ type: 'message.created', userId, sessionId, message: view });
    return view;
  }
}
