import type { ChatSessionRepository } from '../../../application/ports/chat-session-repository.port.js';
import type { PageRequest } from '../../../application/views/pagination.js';
import { type SessionView, toSessionView } from '../../../application/views/session.view.js';
import { ChatSession, type ChatSessionState } from '../../../domain/chat-session.entity.js';
import type { MemoryDatabase } from './memory-database.js';

type SessionRow = Readonly<ChatSessionState>;

const copyDate = (date: Date): Date => new Date(date.getTime());
const copyNullableDate = (date: Date | null): Date | null => (date === null ? null : copyDate(date));

// Copies on the way in and out: no caller may change a stored row by holding a reference.
const toRow = (session: ChatSession, id: number): SessionRow =>
  Object.freeze({
    id,
    title: session.title,
    userId: session.userId,
    isActive: session.isActive,
    messageCount: session.messageCount,
    lastMessageAt: copyNullableDate(session.lastMessageAt),
    lastMessageId: session.lastMessageId,
    createdAt: copyDate(session.createdAt),
    updatedAt: copyDate(session.updatedAt),
  });

const toEntity = (row: SessionRow): ChatSession =>
  ChatSession.restore({
    ...row,
    lastMessageAt: copyNullableDate(row.lastMessageAt),
    createdAt: copyDate(row.createdAt),
    updatedAt: copyDate(row.updatedAt),
  });

const toView = (row: SessionRow): SessionView => toSessionView(toEntity(row));

const ownedRow = (sessions: ReadonlyMap<number, SessionRow>, id: number, ownerId: string): SessionRow | null => {
  const row = sessions.get(id);
  return row && row.isActive && row.userId === ownerId ? row : null;
};

/** Most recently active first; the later-created session first on a tie, so pages never overlap. */
const byRecentActivity = (a: SessionRow, b: SessionRow): number =>
  b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id;

export class MemoryChatSessionRepository implements ChatSessionRepository {
  constructor(private readonly database: MemoryDatabase) {}

  async add(session: ChatSession): Promise<void> {
    await this.database.write((tables) => {
      if (!tables.users.has(session.userId)) {
        throw new Error(`FOREIGN KEY constraint failed: chat session refers to missing user ${session.userId}`);
      }
      const row = toRow(session, this.database.nextSessionId());
      tables.sessions.set(row.id, row);
      session.id = row.id;
    });
  }

  /**
   * Saving a session that is not stored (its owner was deleted) changes nothing, like an UPDATE
   * matching no row. The stored counters stay: the message repository keeps them, and this copy's
   * may be older.
   */
  async save(session: ChatSession): Promise<void> {
    const row = toRow(session, session.id);
    await this.database.write((tables) => {
      const stored = tables.sessions.get(row.id);
      if (stored) {
        tables.sessions.set(
          row.id,
          Object.freeze({
            ...row,
            messageCount: stored.messageCount,
            lastMessageAt: stored.lastMessageAt,
            lastMessageId: stored.lastMessageId,
          }),
        );
      }
    });
  }

  /**
   * `lock` needs no work here: the memory database lets one transaction run at a time, so a
   * transaction that reads a session already excludes every other writer until it ends.
   */
  async findOwned(id: number, ownerId: string, _options?: { lock?: boolean }): Promise<ChatSession | null> {
    const row = await this.database.read((tables) => ownedRow(tables.sessions, id, ownerId));
    return row ? toEntity(row) : null;
  }

  async lockOwned(id: number, ownerId: string): Promise<{ lastMessageId: number | null } | null> {
    const row = await this.database.read((tables) => ownedRow(tables.sessions, id, ownerId));
    return row ? { lastMessageId: row.lastMessageId } : null;
  }

  async findViewOwned(id: number, ownerId: string): Promise<SessionView | null> {
    const row = await this.database.read((tables) => ownedRow(tables.sessions, id, ownerId));
    return row ? toView(row) : null;
  }

  async listViewsOfOwner(ownerId: string, page: PageRequest): Promise<{ items: SessionView[]; total: number }> {
    const rows = await this.database.read((tables) =>
      [...tables.sessions.values()].filter((row) => row.isActive && row.userId === ownerId),
    );
    rows.sort(byRecentActivity);
    return { items: rows.slice(page.offset, page.offset + page.limit).map(toView), total: rows.length };
  }
}
