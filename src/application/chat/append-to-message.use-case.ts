import * as v from 'valibot';
import { messageNotFound, sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { CountLimit } from '../throttling/count-limit.service.js';
import { type MessageTextFields, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import { toMessageView, type MessageView } from '../views/message.view.js';

const schemasFor = (text: MessageTextFields) => ({
  input: v.object({ userId: userIdField, text: text.appendedText }, 'must be an object'),
  // The length rule is the message's, so it applies to the text with the addition.
  wholeText: v.object({ text: text.streamedText }),
});

export interface AppendToMessageInput {
  userId: string;
  sessionId: number | string;
  messageId: number | string;
  /** What to add to the end of the text, as it is (no trimming: it continues what came before). */
  text: string;
}

/**
 * Adds text to the end of a message being streamed, stored before it is answered, and pushes what
 * was added to the owner's connections as a `message.delta`.
 */
export class AppendToMessage {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly messageWrites: CountLimit,
    private readonly events: EventPublisher,
    text: MessageTextFields,
  ) {
    this.schemas = schemasFor(text);
  }

  private readonly schemas: ReturnType<typeof schemasFor>;

  async execute(input: AppendToMessageInput): Promise<MessageView> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const messageId = parseResourceId(input?.messageId, messageNotFound);
    const { userId, text } = validate(this.schemas.input, input);
    // Appends count against the same limit as sends: a runaway writer is one either way.
    await this.messageWrites.take(userId);
    const view = await this.transactions.run(async () => {
      // Concurrent appends to one message queue on the session's lock, so each reads the text the
      // one before it stored: none is lost, on MySQL as on the other stores.
      if (!(await this.sessions.findOwned(sessionId, userId, { lock: true }))) throw sessionNotFound();
      const message = await this.messages.findInSession(messageId, sessionId);
      if (!message) throw messageNotFound();
      message.append(text, this.clock.now());
      validate(this.schemas.wholeText, { text: message.text });
      await this.messages.save(message);
      return toMessageView(message);
    });
    // The text as cleaned and stored, so watchers who add up the deltas hold what was saved.
    await this.events.publish({ type: 'message.delta', userId, sessionId, messageId: view.id, text });
    return view;
  }
}
