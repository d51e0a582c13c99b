import type { MessageView } from '../views/message.view.js';
import type { SessionView } from '../views/session.view.js';

/**
 * What changed in a user's data, published after the change is committed. Real-time adapters
 * route each event to the connections of `userId`.
 */
export type DomainEvent =
  | { readonly type: 'session.created'; readonly userId: string; readonly session: SessionView }
  | { readonly type: 'session.updated'; readonly userId: string; readonly session: SessionView }
  | { readonly type: 'session.deleted'; readonly userId: string; readonly sessionId: number }
  | { readonly type: 'message.created'; readonly userId: string; readonly sessionId: number; readonly message: MessageView }
  | { readonly type: 'message.updated'; readonly userId: string; readonly sessionId: number; readonly message: MessageView }
  | { readonly type: 'message.deleted'; readonly userId: string; readonly sessionId: number; readonly messageId: number }
  | { readonly type: 'messages.cleared'; readonly userId: string; readonly sessionId: number; readonly deletedCount: number }
  /**
   * Text just appended to a streaming message, for those watching it being written. Not part of
   * the stream's history: it takes no offset and is never replayed, since the stored text already
   * holds it for anyone who reconnects.
   */
  | { readonly type: 'message.delta'; readonly userId: string; readonly sessionId: number; readonly messageId: number; readonly text: string }
  /** Logins that ended (logout, password change, reuse detection, account deletion). */
  | { readonly type: 'logins.ended'; readonly userId: string; readonly loginIds: readonly string[] };

export type DomainEventType = DomainEvent['type'];

export interface EventPublisher {
  /** Must not throw: a failed notification never undoes a committed change. */
  publish(event: DomainEvent): Promise<void>;
}

export const EventPublisher = Symbol.for('chat-backend.EventPublisher');
