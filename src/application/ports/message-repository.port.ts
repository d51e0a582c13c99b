import type { Message } from '../../domain/message.entity.js';
import type { MessageView } from '../views/message.view.js';
import type { PageRequest } from '../views/pagination.js';

/** Which slice of a long session to read, by message id rather than position. */
export type MessageCursor =
  /** The `limit` messages just before `beforeId`, or the latest ones when it is null. */
  | { readonly beforeId: number | null; readonly limit: number }
  /** The `limit` messages just after `afterId`. */
  | { readonly afterId: number; readonly limit: number };

export interface KeysetPage<T> {
  /** Oldest first. */
  readonly items: T[];
  /** Whether more messages lie further in the direction of travel. */
  readonly hasMore: boolean;
}

/**
 * Messages. Deleted messages are invisible to every read. Reads take the session's owner and
 * answer `null` when the session is not theirs or is deleted, so the ownership check costs no
 * extra query.
 */
export interface MessageRepository {
  /** Stores a new message and assigns its id, greater than every id before it. */
  add(message: Message): Promise<void>;
  save(message: Message): Promise<void>;
  /** A live message of that session. */
  findInSession(id: number, sessionId: number): Promise<Message | null>;
  /**
   * The session's live messages by position, oldest first, with how many it has in all. That
   * total is the session's message count (`ChatSession.messageCount`), read with the ownership
   * check rather than counted: the use cases keep it equal to the session's live messages, under
   * the session's lock, whenever they add or delete one.
   */
  pageOfSession(
    sessionId: number,
    ownerId: string,
    page: PageRequest,
  ): Promise<{ items: MessageView[]; total: number } | null>;
  /** The session's live messages by id. */
  sliceOfSession(sessionId: number, ownerId: string, cursor: MessageCursor): Promise<KeysetPage<MessageView> | null>;
  /** When the newest live message of the session was sent, or null when none is left. */
  latestSentAt(sessionId: number): Promise<Date | null>;
  /** Soft-deletes every live message of the session; returns how many. */
  deleteAllInSession(sessionId: number, now: Date): Promise<number>;
}

export const MessageRepository = Symbol.for('chat-backend.MessageRepository');
