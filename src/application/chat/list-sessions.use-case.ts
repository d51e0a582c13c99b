import * as v from 'valibot';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import { PAGE_DEFAULT, pageField, SESSIONS_PER_PAGE_DEFAULT, sessionsPerPageField, userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { pageRequest, paginate, type Paged } from '../views/pagination.js';
import type { SessionView } from '../views/session.view.js';

const schema = v.object(
  {
    userId: userIdField,
    page: v.optional(pageField, PAGE_DEFAULT),
    perPage: v.optional(sessionsPerPageField, SESSIONS_PER_PAGE_DEFAULT),
  },
  'must be an object',
);

export interface ListSessionsInput {
  userId: string;
  page?: number | string;
  perPage?: number | string;
}

/** The caller's active sessions, most recently active first. */
export class ListSessions {
  constructor(private readonly sessions: ChatSessionRepository) {}

  async execute(input: ListSessionsInput): Promise<Paged<SessionView>> {
    const { userId, page, perPage } = validate(schema, input);
    const { items, total } = await this.sessions.listViewsOfOwner(userId, pageRequest(page, perPage));
    return paginate(items, page, perPage, total);
  }
}
