import * as v from 'valibot';
import { messageNotFound, sessionNotFound } from '../../domain/domain-error.js';
import type { MessageMetadata } from '../../domain/message.entity.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import { metadataField, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import { toMessageView, type MessageView } from '../views/message.view.js';

const schema = v.object({ userId: userIdField, metadata: v.nullish(metadataField) }, 'must be an object');

export interface CompleteMessageInput {
  userId: string;
  sessionId: number | string;
  messageId: number | string;
  /** Replaces the metadata the message was sent with; absent or null keeps it. */
  metadata?: MessageMetadata | null;
}

/** Ends a streamed message: it is complete and takes no more appends. */
export class CompleteMessage {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: CompleteMessageInput): Promise<MessageView> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const messageId = parseResourceId(input?.messageId, messageNotFound);
    const { userId, metadata } = validate(schema, input);
    const view = await this.transactions.run(async () => {
      if (!(await this.sessions.findOwned(sessionId, userId, { lock: true }))) throw sessionNotFound();
      const message = await this.messages.findInSession(messageId, sessionId);
      if (!message) throw messageNotFound();
      message.complete(this.clock.now(), metadata ?? undefined);
      await this.messages.save(message);
      return toMessageView(message);
    });
    await this.events.publish({ type: 'message.updated', userId, sessionId, message: view });
    return view;
  }
}
