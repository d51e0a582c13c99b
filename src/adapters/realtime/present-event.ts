import type { DomainEvent } from '../../application/ports/event-publisher.port.js';
import { presentMessage, presentSession } from '../http/presenters/resource.presenter.js';
import type { DeltaFrame, EventPayload } from './stream-frame.js';

/**
 * A domain event as the wire carries it (snake_case, resources as the REST API shows them), or
 * null for what is not a stream event: `logins.ended` closes connections and is never delivered,
 * and a delta goes out as a `DeltaFrame`, outside the stream.
 */
export const presentEvent = (event: DomainEvent): EventPayload | null => {
  switch (event.type) {
    case 'session.created':
    case 'session.updated':
      return { type: event.type, session: presentSession(event.session) };
    case 'session.deleted':
      return { type: event.type, session_id: event.sessionId };
    case 'message.created':
    case 'message.updated':
      return { type: event.type, session_id: event.sessionId, message: presentMessage(event.message) };
    case 'message.deleted':
      return { type: event.type, session_id: event.sessionId, message_id: event.messageId };
    case 'messages.cleared':
      return { type: event.type, session_id: event.sessionId, deleted_count: event.deletedCount };
    case 'logins.ended':
    case 'message.delta':
      return null;
  }
};

export const presentDelta = (event: Extract<DomainEvent, { type: 'message.delta' }>): DeltaFrame => ({
  type: event.type,
  session_id: event.sessionId,
  message_id: event.messageId,
  text: event.text,
});
