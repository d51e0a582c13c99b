import * as v from 'valibot';
import { messageNotFound, sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { KeysetPage, MessageRepository } from '../ports/message-repository.port.js';
import { cursorIdField, MESSAGES_PER_PAGE_DEFAULT, sliceLimitField, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import type { MessageView } from '../views/message.view.js';

const schema = v.object(
  {
    userId: userIdField,
    beforeId: v.nullish(cursorIdField),
    limit: v.nullish(sliceLimitField, MESSAGES_PER_PAGE_DEFAULT),
  },
  'must be an object',
);

export interface ReadThreadInput {
  userId: string;
  sessionId: number | string;
  messageId: number | string;
  /** The oldest message of the page read before: the page continues with the messages above it. */
  beforeId?: number | string | null;
  /** How many messages, 1-200 (default 50). */
  limit?: number | string | null;
}

/**
 * The branch a message is on: the path from the first message of the session down to that one,
 * oldest first; the context a model is given for that branch. A long path comes in pages, the
 * nearest messages first, like the keyset list read backwards.
 */
export class ReadThread {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
  ) {}

  async execute(input: ReadThreadInput): Promise<KeysetPage<MessageView>> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const messageId = parseResourceId(input?.messageId, messageNotFound);
    const { userId, beforeId, limit } = validate(schema, input);
    if (!(await this.sessions.findOwned(sessionId, userId))) throw sessionNotFound();
    if (!(await this.messages.findInSession(messageId, sessionId))) throw messageNotFound();
    return this.messages.threadOf(sessionId, { from: beforeId ?? messageId, includeFrom: beforeId == null, limit });
  }
}
