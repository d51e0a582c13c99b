import * as v from 'valibot';
import { ChatSession, DEFAULT_SESSION_TITLE } from '../../domain/chat-session.entity.js';
import type { ChatSessionRepository } from '../ports/chat-session-repository.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import { titleField, userIdField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { toSessionView, type SessionView } from '../views/session.view.js';

const schema = v.object(
  { userId: userIdField, title: v.optional(v.nullable(titleField)) },
  'must be an object',
);

export interface CreateSessionInput {
  userId: string;
  /** Defaults to "New Chat". */
  title?: string | null;
}

export class CreateSession {
  constructor(
    private readonly sessions: ChatSessionRepository,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: CreateSessionInput): Promise<SessionView> {
    const { userId, title } = validate(schema, input);
    const session = ChatSession.start({ title: title ?? DEFAULT_SESSION_TITLE, userId, now: this.clock.now() });
    await this.sessions.add(session);
    const view = toSessionView(session);
    await this.events.publish({ type: 'session.created', userId, session: view });
    return view;
  }
}
