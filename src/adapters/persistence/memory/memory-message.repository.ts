import { clientIdConflict } from '../../../domain/domain-error.js';
import type {
  IdleStream,
  KeysetPage,
  MessageCursor,
  MessageRepository,
  ThreadCursor,
} from '../../../application/ports/message-repository.port.js';
import { type MessageView, toMessageView } from '../../../application/views/message.view.js';
import type { PageRequest } from '../../../application/views/pagination.js';
import type { ChatSessionState } from '../../../domain/chat-session.entity.js';
import { Message, type MessageMetadata, type MessageRevision, type MessageState } from '../../../domain/message.entity.js';
import type { MemoryDatabase } from './memory-database.js';

type MessageRow = Readonly<MessageState>;

const copyDate = (date: Date): Date => new Date(date.getTime());
const copyNullableDate = (date: Date | null): Date | null => (date === null ? null : copyDate(date));
const copyMetadata = (metadata: MessageMetadata | null): MessageMetadata | null =>
  metadata === null ? null : structuredClone(metadata);

// Copies on the way in and out: no caller may change a stored row by holding a reference.
const toRow = (message: Message, id: number): MessageRow =>
  Object.freeze({
    id,
    sessionId: message.sessionId,
    parentId: message.parentId,
    clientId: message.clientId,
    text: message.text,
    sender: message.sender,
    status: message.status,
    metadata: copyMetadata(message.metadata),
    isDeleted: message.isDeleted,
    editedAt: copyNullableDate(message.editedAt),
    createdAt: copyDate(message.createdAt),
    updatedAt: copyDate(message.updatedAt),
  });

const toEntity = (row: MessageRow): Message =>
  Message.restore({
    ...row,
    metadata: copyMetadata(row.metadata),
    editedAt: copyNullableDate(row.editedAt),
    createdAt: copyDate(row.createdAt),
    updatedAt: copyDate(row.updatedAt),
  });

const toView = (row: MessageRow): MessageView => toMessageView(toEntity(row));

const byId = (a: MessageRow, b: MessageRow): number => a.id - b.id;

const liveRowsOf = (messages: ReadonlyMap<number, MessageRow>, sessionId: number): MessageRow[] =>
  [...messages.values()].filter((row) => row.sessionId === sessionId && !row.isDeleted).sort(byId);

const findByClientId = (messages: ReadonlyMap<number, MessageRow>, sessionId: number, clientId: string): MessageRow | undefined =>
  [...messages.values()].find((row) => row.sessionId === sessionId && row.clientId === clientId);

const isVisibleSession = (session: Readonly<ChatSessionState> | undefined, ownerId: string): boolean =>
  session !== undefined && session.isActive && session.userId === ownerId;

export class MemoryMessageRepository implements MessageRepository {
  constructor(private readonly database: MemoryDatabase) {}

  async add(message: Message): Promise<void> {
    await this.database.write((tables) => {
      const session = tables.sessions.get(message.sessionId);
      if (!session) {
        throw new Error(`FOREIGN KEY constraint failed: message refers to missing chat session ${message.sessionId}`);
      }
      const { clientId } = message;
      if (clientId !== null && findByClientId(tables.messages, message.sessionId, clientId)) {
        throw clientIdConflict();
      }
      const row = toRow(message, this.database.nextMessageId());
      tables.messages.set(row.id, row);
      const sentAt = copyDate(row.createdAt);
      tables.sessions.set(
        session.id,
        Object.freeze({
          ...session,
          messageCount: session.messageCount + 1,
          lastMessageAt: sentAt,
          lastMessageId: row.id,
          updatedAt: sentAt,
        }),
      );
      message.id = row.id;
    });
  }

  /** Saving a message that is not stored (its session's owner was deleted) changes nothing, like an UPDATE matching no row. */
  async save(message: Message): Promise<void> {
    const row = toRow(message, message.id);
    const revisions = message.newRevisions().map((revision) => Object.freeze({ ...revision, createdAt: copyDate(revision.createdAt) }));
    await this.database.write((tables) => {
      if (!tables.messages.has(row.id)) return;
      tables.messages.set(row.id, row);
      if (revisions.length > 0) tables.revisions.set(row.id, Object.freeze([...(tables.revisions.get(row.id) ?? []), ...revisions]));
    });
    message.revisionsSaved();
  }

  async findByClientId(sessionId: number, clientId: string): Promise<Message | null> {
    const row = await this.database.read((tables) => findByClientId(tables.messages, sessionId, clientId));
    return row ? toEntity(row) : null;
  }

  async revisionsOf(messageId: number): Promise<MessageRevision[]> {
    const revisions = await this.database.read((tables) => tables.revisions.get(messageId) ?? []);
    return revisions.map((revision) => ({ text: revision.text, createdAt: copyDate(revision.createdAt) }));
  }

  async findInSession(id: number, sessionId: number): Promise<Message | null> {
    const row = await this.database.read((tables) => tables.messages.get(id));
    return row && row.sessionId === sessionId && !row.isDeleted ? toEntity(row) : null;
  }

  async pageOfSession(
    sessionId: number,
    ownerId: string,
    page: PageRequest,
  ): Promise<{ items: MessageView[]; total: number } | null> {
    const found = await this.database.read((tables) => {
      const session = tables.sessions.get(sessionId);
      return session !== undefined && isVisibleSession(session, ownerId)
        ? { rows: liveRowsOf(tables.messages, sessionId), total: session.messageCount }
        : null;
    });
    if (found === null) return null;
    // The total is the session's count, as on SQL, not the rows: the writes here keep them equal.
    return { items: found.rows.slice(page.offset, page.offset + page.limit).map(toView), total: found.total };
  }

  async sliceOfSession(
    sessionId: number,
    ownerId: string,
    cursor: MessageCursor,
  ): Promise<KeysetPage<MessageView> | null> {
    const rows = await this.database.read((tables) =>
      isVisibleSession(tables.sessions.get(sessionId), ownerId) ? liveRowsOf(tables.messages, sessionId) : null,
    );
    if (rows === null) return null;
    if ('afterId' in cursor) {
      const newer = rows.filter((row) => row.id > cursor.afterId);
      return { items: newer.slice(0, cursor.limit).map(toView), hasMore: newer.length > cursor.limit };
    }
    const { beforeId } = cursor;
    const older = beforeId === null ? rows : rows.filter((row) => row.id < beforeId);
    const start = Math.max(0, older.length - cursor.limit);
    return { items: older.slice(start).map(toView), hasMore: start > 0 };
  }

  async threadOf(sessionId: number, cursor: ThreadCursor): Promise<KeysetPage<MessageView>> {
    const found = await this.database.read((tables) => {
      const path: MessageRow[] = [];
      let row = tables.messages.get(cursor.from);
      let include = cursor.includeFrom;
      while (row !== undefined && row.sessionId === sessionId && path.length <= cursor.limit) {
        if (include && !row.isDeleted) path.push(row);
        include = true;
        row = row.parentId === null ? undefined : tables.messages.get(row.parentId);
      }
      return path;
    });
    return { items: found.slice(0, cursor.limit).reverse().map(toView), hasMore: found.length > cursor.limit };
  }

  async deleteInSession(id: number, sessionId: number, now: Date): Promise<boolean> {
    const updatedAt = copyDate(now);
    return this.database.write((tables) => {
      const row = tables.messages.get(id);
      if (!row || row.sessionId !== sessionId || row.isDeleted) return false;
      tables.messages.set(id, Object.freeze({ ...row, isDeleted: true, updatedAt }));
      const session = tables.sessions.get(sessionId);
      if (session) {
        const newest = liveRowsOf(tables.messages, sessionId).at(-1);
        tables.sessions.set(
          sessionId,
          Object.freeze({
            ...session,
            messageCount: Math.max(0, session.messageCount - 1),
            lastMessageAt: newest ? copyDate(newest.createdAt) : null,
            lastMessageId: newest?.id ?? null,
          }),
        );
      }
      return true;
    });
  }

  async idleStreams(idleSince: Date, limit: number): Promise<IdleStream[]> {
    return this.database.read((tables) =>
      [...tables.messages.values()]
        .filter((row) => row.status === 'streaming' && !row.isDeleted && row.updatedAt.getTime() < idleSince.getTime())
        .flatMap((row) => {
          const session = tables.sessions.get(row.sessionId);
          return session?.isActive ? [{ row, userId: session.userId }] : [];
        })
        .sort((a, b) => a.row.updatedAt.getTime() - b.row.updatedAt.getTime() || a.row.id - b.row.id)
        .slice(0, limit)
        .map(({ row, userId }) => ({ messageId: row.id, sessionId: row.sessionId, userId })),
    );
  }

  async deleteAllInSession(sessionId: number, now: Date): Promise<number> {
    const updatedAt = copyDate(now);
    return this.database.write((tables) => {
      const rows = liveRowsOf(tables.messages, sessionId);
      for (const row of rows) tables.messages.set(row.id, Object.freeze({ ...row, isDeleted: true, updatedAt }));
      const session = tables.sessions.get(sessionId);
      if (session) tables.sessions.set(sessionId, Object.freeze({ ...session, messageCount: 0, lastMessageAt: null, lastMessageId: null }));
      return rows.length;
    });
  }
}
