import type { ChatSession } from '../../domain/chat-session.entity.js';
import type { PageRequest } from '../views/pagination.js';
import type { SessionView } from '../views/session.view.js';

/**
 * Chat sessions. Every lookup takes the owner: a session of another user, or a deleted one, is
 * simply not found, so no caller can learn that it exists.
 */
export interface ChatSessionRepository {
  /** Stores a new session and assigns its id. */
  add(session: ChatSession): Promise<void>;
  /**
   * Stores the session's own changes (title, activity). Its message counters are not written: the
   * message repository keeps them, as it adds and deletes messages.
   */
  save(session: ChatSession): Promise<void>;
  /**
   * The owner's active session. With `lock`, the row stays locked for writing until the
   * surrounding transaction ends, so concurrent writers to one session queue up.
   */
  findOwned(id: number, ownerId: string, options?: { lock?: boolean }): Promise<ChatSession | null>;
  /**
   * The owner's active session locked as `findOwned` with `lock` does, without loading it: only
   * what a send needs (the message a send without a parent answers). The send path's one read.
   */
  lockOwned(id: number, ownerId: string): Promise<{ lastMessageId: number | null } | null>;
  findViewOwned(id: number, ownerId: string): Promise<SessionView | null>;
  /** The owner's active sessions, most recently active first (`updatedAt` desc, then `id` desc). */
  listViewsOfOwner(ownerId: string, page: PageRequest): Promise<{ items: SessionView[]; total: number }>;
}

export const ChatSessionRepository = Symbol.for('chat-backend.ChatSessionRepository');
