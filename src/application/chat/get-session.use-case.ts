import * as v from 'valibot';
import { sessionNotFound } from '../../domain/domain-error.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { MessageRepository } from '../ports/message-repository.port.js';
import { userIdField } from '../validation/fields.js';
import { parseResourceId } from '../validation/resource-id.js';
import { validate } from '../validation/validate.js';
import type { MessageView } from '../views/message.view.js';
import { pageRequest, paginate, type Paged } from '../views/pagination.js';
import type { SessionView } from '../views/session.view.js';
import { messagePageFields } from './message-page.js';

const schema = v.object({ userId: userIdField, ...messagePageFields }, 'must be an object');

export interface GetSessionInput {
  userId: string;
  sessionId: number | string;
  page?: number | string;
  perPage?: number | string;
}

export interface GetSessionOutput {
  session: SessionView;
  messages: Paged<MessageView>;
}

/** A session with a page (the first by default) of its messages, oldest first. */
export class GetSession {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly messages: MessageRepository,
  ) {}

  async execute(input: GetSessionInput): Promise<GetSessionOutput> {
    const sessionId = parseResourceId(input?.sessionId, sessionNotFound);
    const { userId, page, perPage } = validate(schema, input);
    const session = await this.sessions.findViewOwned(sessionId, userId);
    if (!session) throw sessionNotFound();
    const found = await this.messages.pageOfSession(sessionId, userId, pageRequest(page, perPage));
    // The session can be deleted between the two reads; it is then gone for this caller too.
    if (!found) throw sessionNotFound();
    return { session, messages: paginate(found.items, page, perPage, found.total) };
  }
}
