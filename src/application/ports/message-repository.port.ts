import type { Message, MessageRevision } from '../../domain/message.entity.js';
import type { MessageView } from '../views/message.view.js';
import type { PageRequest } from '../views/pagination.js';

/** Which slice of a long session to read, by message id rather than position. */
export type MessageCursor =
  /** The `limit` messages just before `beforeId`, or the latest ones when it is null. */
  | { readonly beforeId: number | null; readonly limit: number }
  /** The `limit` messages just after `afterId`. */
  | { readonly afterId: number; readonly limit: number };

/** Where a thread is read from: a message, then up through its parents. */
export interface ThreadCursor {
  /** The message the walk starts at. */
  readonly from: number;
  /** Whether `from` itself is part of the page (the thread's own message), or only what lies above it (a next page). */
  readonly includeFrom: boolean;
  readonly limit: number;
}

export interface KeysetPage<T> {
  /** Oldest first. */
  readonly items: T[];
  /** Whether more messages lie further in the direction of travel. */
  readonly hasMore: boolean;
}

/** A streamed message that has gone idle, with what locking its session takes: the owner. */
export interface IdleStream {
  readonly messageId: number;
  readonly sessionId: number;
  readonly userId: string;
}

/**
 * Messages. Deleted messages are invisible to every read. Reads take the session's owner and
 * answer `null` when the session is not theirs or is deleted, so the ownership check costs no
 * extra query.
 *
 * The session's counters follow its live messages, and this is the one place that rule lives: each
 * call that adds or deletes messages updates the session in the same call, atomically, so that its
 * `messageCount` is the number of its live messages, its `lastMessageAt` the time the newest of
 * them (the last sent) was sent and its `lastMessageId` that message's id, both null when none is
 * left. Nothing else writes those three fields.
 *
 * Concurrent writers to one session count one by one. A call outside any transaction runs in one of
 * its own and locks the session row before any message row. A call inside a caller's transaction
 * expects the caller to have locked the session first (`ChatSessionRepository.findOwned` with
 * `lock`), as the use cases do: that order is what keeps two writers from deadlocking.
 */
export interface MessageRepository {
  /**
   * Stores a new message and assigns its id, greater than every id before it. Its session counts
   * it: one more message, sent last, and the session's most recent activity (`updatedAt`). A
   * `clientId` already stored in that session, deleted or not, is refused as a conflict.
   */
  add(message: Message): Promise<void>;
  /**
   * Stores the changes of a live message (text, status, metadata, edit time) with the revisions
   * its edits made (`newRevisions()`), in one atomic call.
   */
  save(message: Message): Promise<void>;
  /** A live message of that session. */
  findInSession(id: number, sessionId: number): Promise<Message | null>;
  /** The message of that session sent with that client id, deleted or not. */
  findByClientId(sessionId: number, clientId: string): Promise<Message | null>;
  /** The texts a message's edits replaced, oldest first. */
  revisionsOf(messageId: number): Promise<MessageRevision[]>;
  /**
   * The session's live messages by position, oldest first, with how many it has in all. That
   * total is the session's `messageCount`, read with the ownership check rather than counted.
   */
  pageOfSession(
    sessionId: number,
    ownerId: string,
    page: PageRequest,
  ): Promise<{ items: MessageView[]; total: number } | null>;
  /**
   * The live messages on the path from the cursor's message up through its parents to the first
   * of its branch: the nearest `limit` of them, oldest first, and whether more lie above. Deleted
   * messages on the path are passed through, not shown. One query, bounded by the limit however
   * deep the branch. Empty when `from` is no message of that session.
   */
  threadOf(sessionId: number, cursor: ThreadCursor): Promise<KeysetPage<MessageView>>;
  /** The session's live messages by id. */
  sliceOfSession(sessionId: number, ownerId: string, cursor: MessageCursor): Promise<KeysetPage<MessageView> | null>;
  /**
   * Soft-deletes a live message of that session: it is not found afterwards, its session counts
   * one message fewer, and its last message (time and id) is the newest one left. The session's `updatedAt`
   * stays: a deletion is no new activity. False, with nothing changed, when the session has no
   * such live message.
   */
  deleteInSession(id: number, sessionId: number, now: Date): Promise<boolean>;
  /** Soft-deletes every live message of the session, which then counts none; returns how many. */
  deleteAllInSession(sessionId: number, now: Date): Promise<number>;
  /**
   * Live messages of active sessions still streaming and last changed (`updatedAt`) before
   * `idleSince`: the oldest `limit` of them, oldest first (ties by id). A plain read, outside any
   * lock: whoever acts on one must lock its session and read it again.
   */
  idleStreams(idleSince: Date, limit: number): Promise<IdleStream[]>;
}

export const MessageRepository = Symbol.for('chat-backend.MessageRepository');
