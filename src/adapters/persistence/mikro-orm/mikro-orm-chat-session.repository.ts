import { LockMode } from '@mikro-orm/core';
import type { ChatSessionRepository } from '../../../application/ports/chat-session-repository.port.js';
import type { PageRequest } from '../../../application/views/pagination.js';
import type { SessionView } from '../../../application/views/session.view.js';
import type { ChatSession } from '../../../domain/chat-session.entity.js';
import type { EntityManagerScope, Row } from './entity-manager-scope.js';
import { rowValue } from './row-value.js';
import { ChatSessionSchema } from './schemas/chat-session.schema.js';

const SESSION_COLUMNS = 'id, title, message_count, last_message_at, created_at, updated_at';

const toSessionView = (row: Row): SessionView => ({
  id: rowValue.number(row['id']),
  title: rowValue.string(row['title']),
  messageCount: rowValue.number(row['message_count']),
  lastMessageAt: rowValue.nullableDate(row['last_message_at']),
  createdAt: rowValue.date(row['created_at']),
  updatedAt: rowValue.date(row['updated_at']),
});

const mostRecentFirst = (a: SessionView, b: SessionView): number =>
  b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id;

export class MikroOrmChatSessionRepository implements ChatSessionRepository {
  constructor(private readonly scope: EntityManagerScope) {}

  add(session: ChatSession): Promise<void> {
    return this.scope.persist(session);
  }

  save(session: ChatSession): Promise<void> {
    return this.scope.persist(session);
  }

  /**
   * chat_sessions PRIMARY. The lock is `SELECT … FOR UPDATE` on MySQL, taken before any message
   * row is touched: a message insert's foreign-key check takes a shared lock on this row, and a
   * deletion's recount reads the session's messages with shared locks, so writers that came to the
   * session row afterwards would deadlock. SQLite has one writer at a time anyway. Outside a
   * transaction there is nothing to hold a lock for.
   */
  findOwned(id: number, ownerId: string, options?: { lock?: boolean }): Promise<ChatSession | null> {
    return this.scope.run((em) => {
      const lock = options?.lock === true && this.scope.dialect === 'mysql' && em.isInTransaction();
      return em.findOne(
        ChatSessionSchema,
        { id, userId: ownerId, isActive: true },
        // A copy loaded earlier in this transaction may be stale; the locked read is the truth.
        lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {},
      );
    });
  }

  /**
   * chat_sessions PRIMARY, `FOR UPDATE` on MySQL inside a transaction (why: `findOwned`). One
   * column of a plain row: no entity is built or put in the identity map on the send path.
   */
  async lockOwned(id: number, ownerId: string): Promise<{ lastMessageId: number | null } | null> {
    const lock = this.scope.dialect === 'mysql' && this.scope.inTransaction() ? ' FOR UPDATE' : '';
    const [row] = await this.scope.rows(`SELECT last_message_id FROM chat_sessions WHERE id = ? AND user_id = ? AND is_active = 1${lock}`, [
      id,
      ownerId,
    ]);
    return row ? { lastMessageId: rowValue.nullableNumber(row['last_message_id']) } : null;
  }

  // chat_sessions PRIMARY
  async findViewOwned(id: number, ownerId: string): Promise<SessionView | null> {
    const [row] = await this.scope.rows(
      `SELECT ${SESSION_COLUMNS} FROM chat_sessions WHERE id = ? AND user_id = ? AND is_active = 1`,
      [id, ownerId],
    );
    return row ? toSessionView(row) : null;
  }

  /**
   * chat_sessions_owner_recent_index (user_id, is_active, updated_at, id) for both the count (index
   * only) and the page, read backwards in index order with no sort. One round trip: the count row
   * is there even when the page is past the end.
   */
  async listViewsOfOwner(ownerId: string, page: PageRequest): Promise<{ items: SessionView[]; total: number }> {
    const rows = await this.scope.rows(
      `SELECT c.total, s.id, s.title, s.message_count, s.last_message_at, s.created_at, s.updated_at
         FROM (SELECT COUNT(*) AS total FROM chat_sessions WHERE user_id = ? AND is_active = 1) c
         LEFT JOIN (
           SELECT ${SESSION_COLUMNS} FROM chat_sessions
            WHERE user_id = ? AND is_active = 1
            ORDER BY updated_at DESC, id DESC
            LIMIT ? OFFSET ?
         ) s ON 1 = 1`,
      [ownerId, ownerId, page.limit, page.offset],
    );
    const total = rows[0] ? rowValue.number(rows[0]['total']) : 0;
    // Rows of a joined derived table come back in no promised order; sorting this page here
    // spares the server a filesort.
    const items = rows.filter((row) => row['id'] !== null).map(toSessionView).sort(mostRecentFirst);
    return { items, total };
  }
}
