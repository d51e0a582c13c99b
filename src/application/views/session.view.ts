import type { ChatSession } from '../../domain/chat-session.entity.js';

export interface SessionView {
  readonly id: number;
  readonly title: string;
  readonly messageCount: number;
  readonly lastMessageAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const toSessionView = (session: ChatSession): SessionView => ({
  id: session.id,
  title: session.title,
  messageCount: session.messageCount,
  lastMessageAt: session.lastMessageAt,
  createdAt: session.createdAt,
  updatedAt: session.updatedAt,
});
