import * as v from 'valibot';
import { messageNotFound, sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { type MessageTextFields, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import { toMessageView, type MessageView } from '../views/message.view.js';

const schemaFor = (text: MessageTextFields) => v.object({ userId: userIdField, text: text.text }, 'must be an object');

export interface EditMessageInput {
  userId: string;
  sessionId: number | string;
  messageId: number | string;
  text: string;
}

/** Replaces a message's text; its sender and place in the session stay. */
export class EditMessage {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
    text: MessageTextFields,
  ) {
    this.schema = schemaFor(text);
  }

  private readonly schema: ReturnType<typeof schemaFor>;

  async execute(input: EditMessageInput): Promise<MessageView> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const messageId = parseResourceId(input?.messageId, messageNotFound);
    const { userId, text } = validate(this.schema, input);
    const view = await this.transactions.run(async () => {
      const session = await this.sessions.findOwned(sessionId, userId, { lock: true });
      if (!session) throw sessionNotFound();
      const message = await this.messages.findInSession(messageId, sessionId);
      if (!message) throw messageNotFound();
      message.edit(text, this.clock.now());
      await this.messages.save(message);
      return toMessageView(message);
    });
    await this.events.publish({ type: 'message.updated', userId, sessionId, message: view });
    return view;
  }
}
