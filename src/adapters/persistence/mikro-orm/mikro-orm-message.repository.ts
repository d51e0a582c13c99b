import type { KeysetPage, MessageCursor, MessageRepository } from '../../../application/ports/message-repository.port.js';
import type { MessageView } from '../../../application/views/message.view.js';
import type { PageRequest } from '../../../application/views/pagination.js';
import type { Message, Sender } from '../../../domain/message.entity.js';
import type { EntityManagerScope, Row } from './entity-manager-scope.js';
import { rowValue } from './row-value.js';
import { MessageSchema } from './schemas/message.schema.js';

const toMessageView = (row: Row): MessageView => ({
  id: rowValue.number(row['id']),
  sessionId: rowValue.number(row['session_id']),
  text: rowValue.string(row['text']),
  // Only the domain writes this column, and only one of the three senders.
  sender: rowValue.string(row['sender']) as Sender,
  createdAt: rowValue.date(row['created_at']),
  updatedAt: rowValue.date(row['updated_at']),
});

/** Rows of a LEFT JOIN from the owned session: a row whose message columns are null is no message. */
const messagesOf = (rows: readonly Row[]): MessageView[] => rows.filter((row) => row['id'] !== null).map(toMessageView);

const byId = (a: MessageView, b: MessageView): number => a.id - b.id;

export class MikroOrmMessageRepository implements MessageRepository {
  constructor(private readonly scope: EntityManagerScope) {}

  add(message: Message): Promise<void> {
    return this.scope.persist(message);
  }

  save(message: Message): Promise<void> {
    return this.scope.persist(message);
  }

  // messages PRIMARY
  findInSession(id: number, sessionId: number): Promise<Message | null> {
    return this.scope.run((em) => em.findOne(MessageSchema, { id, sessionId, isDeleted: false }));
  }

  /**
   * chat_sessions PRIMARY for the ownership check and the total, which is the session row's
   * `message_count` (kept equal to its live messages by the use cases, under the session row
   * lock): no count of messages, so the total costs nothing however long the session.
   * messages_session_live_index (session_id, is_deleted, id) for the page (read in index order,
   * from the start of the session's live range: page n reads n pages of entries, which is why
   * long sessions are read by keyset instead). The session row is there whenever the session is
   * the owner's, so no row at all means "not yours".
   */
  async pageOfSession(
    sessionId: number,
    ownerId: string,
    page: PageRequest,
  ): Promise<{ items: MessageView[]; total: number } | null> {
    const rows = await this.scope.rows(
      `SELECT s.message_count AS total,
              m.id, m.session_id, m.text, m.sender, m.created_at, m.updated_at
         FROM chat_sessions s
         LEFT JOIN (
           SELECT id, session_id, text, sender, created_at, updated_at FROM messages
            WHERE session_id = ? AND is_deleted = 0
            ORDER BY id
            LIMIT ? OFFSET ?
         ) m ON m.session_id = s.id
        WHERE s.id = ? AND s.user_id = ? AND s.is_active = 1`,
      [sessionId, page.limit, page.offset, sessionId, ownerId],
    );
    const [first] = rows;
    if (!first) return null;
    // The page was read in id order; rows of the joined derived table come back in no promised
    // order, and sorting these few here spares the server a filesort.
    return { items: messagesOf(rows).sort(byId), total: rowValue.number(first['total']) };
  }

  /**
   * A range of messages_session_live_index (session_id, is_deleted, id) read from the cursor in
   * index order, `LIMIT n + 1` entries whatever the session's length, with no sort; one more than
   * asked says whether more lie beyond. The ownership check is an uncorrelated EXISTS on
   * chat_sessions PRIMARY, evaluated once: for a stranger the server reads no message at all.
   * MariaDB prefers `ref` on the first two columns over the range on all three, and then walks
   * back from the end of the session to the cursor; the hint keeps it on the range.
   */
  async sliceOfSession(sessionId: number, ownerId: string, cursor: MessageCursor): Promise<KeysetPage<MessageView> | null> {
    const backwards = 'beforeId' in cursor;
    const bound = backwards ? cursor.beforeId : cursor.afterId;
    const params: unknown[] = [sessionId];
    let range = '';
    if (bound !== null) {
      range = backwards ? ' AND m.id < ?' : ' AND m.id > ?';
      params.push(bound);
    }
    params.push(sessionId, ownerId, cursor.limit + 1);
    const hint = this.scope.dialect === 'mysql' ? ' FORCE INDEX (messages_session_live_index)' : '';
    const rows = await this.scope.rows(
      `SELECT m.id, m.session_id, m.text, m.sender, m.created_at, m.updated_at
         FROM messages m${hint}
        WHERE m.session_id = ? AND m.is_deleted = 0${range}
          AND EXISTS (SELECT 1 FROM chat_sessions s WHERE s.id = ? AND s.user_id = ? AND s.is_active = 1)
        ORDER BY m.id ${backwards ? 'DESC' : 'ASC'}
        LIMIT ?`,
      params,
    );
    // No message: an empty slice of the owner's session, or not the caller's session at all.
    if (rows.length === 0) return (await this.ownsSession(sessionId, ownerId)) ? { items: [], hasMore: false } : null;
    const found = rows.map(toMessageView);
    const hasMore = found.length > cursor.limit;
    const items = found.slice(0, cursor.limit);
    return { items: backwards ? items.reverse() : items, hasMore };
  }

  // chat_sessions PRIMARY
  private async ownsSession(sessionId: number, ownerId: string): Promise<boolean> {
    const rows = await this.scope.rows('SELECT 1 AS owned FROM chat_sessions WHERE id = ? AND user_id = ? AND is_active = 1', [
      sessionId,
      ownerId,
    ]);
    return rows.length > 0;
  }

  // messages_session_live_index, read backwards from the end of the session's live range
  async latestSentAt(sessionId: number): Promise<Date | null> {
    const [row] = await this.scope.rows(
      'SELECT created_at FROM messages WHERE session_id = ? AND is_deleted = 0 ORDER BY id DESC LIMIT 1',
      [sessionId],
    );
    return row ? rowValue.date(row['created_at']) : null;
  }

  // messages_session_live_index: the live range of the session, nothing else
  deleteAllInSession(sessionId: number, now: Date): Promise<number> {
    return this.scope.run((em) => em.nativeUpdate(MessageSchema, { sessionId, isDeleted: false }, { isDeleted: true, updatedAt: now }));
  }
}
