import * as v from 'valibot';
import { sessionNotFound } from '../../domain/domain-error.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import type { MessageView } from '../views/message.view.js';
import { pageRequest, paginate, type Paged } from '../views/pagination.js';
import { messagePageFields } from './message-page.js';

const schema = v.object({ userId: userIdField, ...messagePageFields }, 'must be an object');

export interface ListMessagesInput {
  userId: string;
  sessionId: number | string;
  page?: number | string;
  perPage?: number | string;
}

/** A page of a session's messages by position, oldest first. */
export class ListMessages {
  constructor(private readonly messages: MessageRepository) {}

  async execute(input: ListMessagesInput): Promise<Paged<MessageView>> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId, page, perPage } = validate(schema, input);
    const found = await this.messages.pageOfSession(sessionId, userId, pageRequest(page, perPage));
    if (!found) throw sessionNotFound();
    return paginate(found.items, page, perPage, found.total);
  }
}
