import * as v from 'valibot';
import { messageNotFound, sessionNotFound } from '../../domain/domain-error.js';
import type { MessageRevision } from '../../domain/message.entity.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';

const schema = v.object({ userId: userIdField }, 'must be an object');

export interface ListRevisionsInput {
  userId: string;
  sessionId: number | string;
  messageId: number | string;
}

/** The texts a live message of the caller's had before its edits, oldest first. */
export class ListRevisions {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
  ) {}

  async execute(input: ListRevisionsInput): Promise<MessageRevision[]> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const messageId = parseResourceId(input?.messageId, messageNotFound);
    const { userId } = validate(schema, input);
    if (!(await this.sessions.findOwned(sessionId, userId))) throw sessionNotFound();
    if (!(await this.messages.findInSession(messageId, sessionId))) throw messageNotFound();
    return this.messages.revisionsOf(messageId);
  }
}
