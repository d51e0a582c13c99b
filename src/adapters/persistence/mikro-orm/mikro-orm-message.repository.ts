import type { IdleStream, KeysetPage, MessageCursor, MessageRepository, ThreadCursor } from '../../../application/ports/message-repository.port.js';
import type { MessageView } from '../../../application/views/message.view.js';
import type { PageRequest } from '../../../application/views/pagination.js';
import type { Message, MessageMetadata, MessageRevision, MessageStatus, Sender } from '../../../domain/message.entity.js';
import type { EntityManagerScope, Row } from './entity-manager-scope.js';
import { rowValue } from './row-value.js';
import { MessageSchema } from './schemas/message.schema.js';

/** The columns a `MessageView` is built from, for `SELECT ${MESSAGE_COLUMNS('m')}`. */
const MESSAGE_COLUMNS = (alias: string): string =>
  ['id', 'session_id', 'parent_id', 'client_id', 'text', 'sender', 'status', 'metadata', 'edited_at', 'created_at', 'updated_at']
    .map((column) => `${alias}.${column}`)
    .join(', ');

const toMessageView = (row: Row): MessageView => ({
  id: rowValue.number(row['id']),
  sessionId: rowValue.number(row['session_id']),
  parentId: rowValue.nullableNumber(row['parent_id']),
  clientId: rowValue.nullableString(row['client_id']),
  text: rowValue.string(row['text']),
  // Only the domain writes these two columns, and only one of their values.
  sender: rowValue.string(row['sender']) as Sender,
  status: rowValue.string(row['status']) as MessageStatus,
  metadata: rowValue.nullableJsonObject<MessageMetadata>(row['metadata']),
  editedAt: rowValue.nullableDate(row['edited_at']),
  createdAt: rowValue.date(row['created_at']),
  updatedAt: rowValue.date(row['updated_at']),
});

/** Rows of a LEFT JOIN from the owned session: a row whose message columns are null is no message. */
const messagesOf = (rows: readonly Row[]): MessageView[] => rows.filter((row) => row['id'] !== null).map(toMessageView);

const byId = (a: MessageView, b: MessageView): number => a.id - b.id;

export class MikroOrmMessageRepository implements MessageRepository {
  constructor(private readonly scope: EntityManagerScope) {}

  /**
   * The INSERT, then the session's UPDATE (chat_sessions PRIMARY), which needs the new id. The
   * session row must be write-locked before the INSERT's foreign-key check takes a shared lock on
   * it, or concurrent senders deadlock on the upgrade: a caller's transaction holds that lock
   * already (the use cases take it with `findOwned`), and a call outside any transaction takes it
   * itself. No session: the INSERT's foreign key refuses the message.
   */
  add(message: Message): Promise<void> {
    const lockFirst = !this.scope.inTransaction();
    return this.scope.transaction(async () => {
      if (lockFirst) await this.lockSession(message.sessionId);
      // A plain INSERT rather than the unit of work's flush, which on the send path cost more than
      // the statements; the entity is then adopted, so a later `save` of it is an UPDATE.
      const at = (date: Date | null) => (date === null ? null : this.scope.dateParam(date));
      const sentAt = at(message.createdAt);
      message.id = await this.scope.insert(
        `INSERT INTO messages (session_id, parent_id, client_id, text, sender, status, metadata, is_deleted, edited_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          message.sessionId,
          message.parentId,
          message.clientId,
          message.text,
          message.sender,
          message.status,
          message.metadata === null ? null : JSON.stringify(message.metadata),
          message.isDeleted ? 1 : 0,
          at(message.editedAt),
          sentAt,
          at(message.updatedAt),
        ],
      );
      this.scope.adopt(message);
      await this.scope.execute(
        `UPDATE chat_sessions
            SET message_count = message_count + 1, last_message_at = ?, last_message_id = ?, updated_at = ?
          WHERE id = ?`,
        [sentAt, message.id, sentAt, message.sessionId],
      );
    });
  }

  /** The message's UPDATE (PRIMARY) and one multi-row INSERT of its new revisions, together. */
  async save(message: Message): Promise<void> {
    const revisions = message.newRevisions();
    await this.scope.transaction(async () => {
      await this.scope.persist(message);
      if (revisions.length === 0) return;
      await this.scope.execute(
        `INSERT INTO message_revisions (message_id, text, created_at) VALUES ${revisions.map(() => '(?, ?, ?)').join(', ')}`,
        revisions.flatMap((revision) => [message.id, revision.text, this.scope.dateParam(revision.createdAt)]),
      );
    });
    message.revisionsSaved();
  }

  /**
   * messages_session_client_unique. Nearly every send asks, and nearly always nothing is stored
   * yet: so first a plain read of the index (no query builder, no entity), and only a hit loads
   * the entity.
   */
  async findByClientId(sessionId: number, clientId: string): Promise<Message | null> {
    const [row] = await this.scope.rows('SELECT id FROM messages WHERE session_id = ? AND client_id = ?', [sessionId, clientId]);
    if (!row) return null;
    return this.scope.run((em) => em.findOne(MessageSchema, { id: rowValue.number(row['id']) }));
  }

  // message_revisions_message_index (message_id, id)
  async revisionsOf(messageId: number): Promise<MessageRevision[]> {
    const rows = await this.scope.rows('SELECT text, created_at FROM message_revisions WHERE message_id = ? ORDER BY id', [messageId]);
    return rows.map((row) => ({ text: rowValue.string(row['text']), createdAt: rowValue.date(row['created_at']) }));
  }

  // messages PRIMARY
  findInSession(id: number, sessionId: number): Promise<Message | null> {
    return this.scope.run((em) => em.findOne(MessageSchema, { id, sessionId, isDeleted: false }));
  }

  /**
   * chat_sessions PRIMARY for the ownership check and the total, which is the session row's
   * `message_count` (kept equal to its live messages by the writes here, under the session row
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
      `SELECT s.message_count AS total, ${MESSAGE_COLUMNS('m')}
         FROM chat_sessions s
         LEFT JOIN (
           SELECT ${MESSAGE_COLUMNS('messages')} FROM messages
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
      `SELECT ${MESSAGE_COLUMNS('m')}
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

  /**
   * One recursive query: from the cursor's message up through `parent_id` on messages PRIMARY,
   * one row per step, counting the live messages met and stopping once one more than the limit is
   * found, so it reads about `limit` rows however deep the branch (deleted messages are walked
   * through, not counted). A parent always has a smaller id, which the walk also checks, so a
   * corrupt link could not loop.
   */
  async threadOf(sessionId: number, cursor: ThreadCursor): Promise<KeysetPage<MessageView>> {
    const include = cursor.includeFrom ? 1 : 0;
    const rows = await this.scope.rows(
      `WITH RECURSIVE path (id, parent_id, is_deleted, live, depth) AS (
         SELECT id, parent_id, is_deleted, CASE WHEN is_deleted = 0 AND ? = 1 THEN 1 ELSE 0 END, 0
           FROM messages WHERE id = ? AND session_id = ?
         UNION ALL
         SELECT m.id, m.parent_id, m.is_deleted, p.live + CASE WHEN m.is_deleted = 0 THEN 1 ELSE 0 END, p.depth + 1
           FROM path p JOIN messages m ON m.id = p.parent_id
          WHERE p.live <= ? AND m.id < p.id AND m.session_id = ?
       )
       SELECT ${MESSAGE_COLUMNS('m')}
         FROM path p JOIN messages m ON m.id = p.id
        WHERE p.is_deleted = 0 AND (p.depth > 0 OR ? = 1)
        ORDER BY p.depth
        LIMIT ?`,
      [include, cursor.from, sessionId, cursor.limit, sessionId, include, cursor.limit + 1],
    );
    const found = rows.map(toMessageView);
    return { items: found.slice(0, cursor.limit).reverse(), hasMore: found.length > cursor.limit };
  }

  /**
   * A range of messages_stream_idle_index (status, is_deleted, updated_at) read in index order
   * (InnoDB's secondary entries end with the id, SQLite's with the rowid, so the tie by id needs no
   * sort either), joined to chat_sessions PRIMARY for the owner, stopping at `limit`: however many
   * messages the table holds, a sweep reads only the streams that went idle.
   */
  async idleStreams(idleSince: Date, limit: number): Promise<IdleStream[]> {
    const rows = await this.scope.rows(
      `SELECT m.id, m.session_id, s.user_id
         FROM messages m JOIN chat_sessions s ON s.id = m.session_id
        WHERE m.status = 'streaming' AND m.is_deleted = 0 AND m.updated_at < ? AND s.is_active = 1
        ORDER BY m.updated_at, m.id
        LIMIT ?`,
      [this.scope.dateParam(idleSince), limit],
    );
    return rows.map((row) => ({
      messageId: rowValue.number(row['id']),
      sessionId: rowValue.number(row['session_id']),
      userId: rowValue.string(row['user_id']),
    }));
  }

  /** chat_sessions PRIMARY, `FOR UPDATE` on MySQL; SQLite has one writer at a time anyway. */
  private async lockSession(sessionId: number): Promise<void> {
    if (this.scope.dialect === 'mysql') await this.scope.rows('SELECT id FROM chat_sessions WHERE id = ? FOR UPDATE', [sessionId]);
  }

  // chat_sessions PRIMARY
  private async ownsSession(sessionId: number, ownerId: string): Promise<boolean> {
    const rows = await this.scope.rows('SELECT 1 AS owned FROM chat_sessions WHERE id = ? AND user_id = ? AND is_active = 1', [
      sessionId,
      ownerId,
    ]);
    return rows.length > 0;
  }

  /**
   * The message's UPDATE (PRIMARY), which says whether it was live, then the session's
   * (chat_sessions PRIMARY): one less, and the newest live message's time and id, one step back along
   * messages_session_live_index (hinted as in `sliceOfSession`). That subquery reads with shared
   * locks, so the session row must be locked before either statement, or two deletes in one
   * session can deadlock: a caller's transaction holds that lock already (the use cases take it
   * with `findOwned`), and a call outside any transaction takes it itself.
   */
  deleteInSession(id: number, sessionId: number, now: Date): Promise<boolean> {
    const lockFirst = !this.scope.inTransaction();
    const hint = this.scope.dialect === 'mysql' ? ' FORCE INDEX (messages_session_live_index)' : '';
    return this.scope.transaction(async () => {
      if (lockFirst) await this.lockSession(sessionId);
      const deleted = await this.scope.run((em) =>
        em.nativeUpdate(MessageSchema, { id, sessionId, isDeleted: false }, { isDeleted: true, updatedAt: now }),
      );
      if (deleted !== 1) return false;
      await this.scope.execute(
        `UPDATE chat_sessions
            SET message_count = CASE WHEN message_count > 0 THEN message_count - 1 ELSE 0 END,
                last_message_at = (
                  SELECT created_at FROM messages${hint}
                   WHERE session_id = ? AND is_deleted = 0
                   ORDER BY id DESC
                   LIMIT 1
                ),
                last_message_id = (
                  SELECT MAX(id) FROM messages${hint}
                   WHERE session_id = ? AND is_deleted = 0
                )
          WHERE id = ?`,
        [sessionId, sessionId, sessionId],
      );
      return true;
    });
  }

  /**
   * The session's UPDATE first (chat_sessions PRIMARY), which locks it as in `add`; then the live
   * range of the session in messages_session_live_index, nothing else.
   */
  deleteAllInSession(sessionId: number, now: Date): Promise<number> {
    return this.scope.transaction(async () => {
      await this.scope.execute('UPDATE chat_sessions SET message_count = 0, last_message_at = NULL, last_message_id = NULL WHERE id = ?', [sessionId]);
      return this.scope.run((em) =>
        em.nativeUpdate(MessageSchema, { sessionId, isDeleted: false }, { isDeleted: true, updatedAt: now }),
      );
    });
  }
}
