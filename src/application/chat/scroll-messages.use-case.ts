import * as v from 'valibot';
import { sessionNotFound, ValidationError } from '../../domain/domain-error.js';
import type { KeysetPage, MessageCursor, MessageRepository } from '../ports/message-repository.port.js';
import { cursorIdField, latestCursorField, MESSAGES_PER_PAGE_DEFAULT, sliceLimitField, userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import type { MessageView } from '../views/message.view.js';

const schema = v.object(
  {
    userId: userIdField,
    // An empty `before_id` (or none at all) asks for the latest messages.
    beforeId: v.optional(
      v.union([v.pipe(latestCursorField, v.transform(() => null)), v.null(), cursorIdField], 'must be a positive integer'),
    ),
    afterId: v.optional(cursorIdField),
    limit: v.optional(sliceLimitField, MESSAGES_PER_PAGE_DEFAULT),
  },
  'must be an object',
);

export interface ScrollMessagesInput {
  userId: string;
  sessionId: number | string;
  /** Messages just before this id; null, empty or absent (with no `afterId`) means the latest. */
  beforeId?: number | string | null;
  /** Messages just after this id. */
  afterId?: number | string;
  limit?: number | string;
}

/**
 * Reads a long session by message id instead of position: the cost of a page does not grow with
 * the session, and messages arriving meanwhile do not shift the pages.
 */
export class ScrollMessages {
  constructor(private readonly messages: MessageRepository) {}

  async execute(input: ScrollMessagesInput): Promise<KeysetPage<MessageView>> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId, beforeId, afterId, limit } = validate(schema, input);
    if (afterId !== undefined && beforeId !== undefined) {
      throw new ValidationError(['after_id: cannot be combined with before_id']);
    }
    const cursor: MessageCursor = afterId !== undefined ? { afterId, limit } : { beforeId: beforeId ?? null, limit };
    const slice = await this.messages.sliceOfSession(sessionId, userId, cursor);
    if (!slice) throw sessionNotFound();
    return slice;
  }
}
