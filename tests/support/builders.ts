import { randomUUID } from 'node:crypto';
import { ChatSession, type ChatSessionState } from '../../src/domain/chat-session.entity.js';
import { Login, type LoginState, type NextRefresh, type RotationPolicy } from '../../src/domain/login.entity.js';
import { Message, type MessageState } from '../../src/domain/message.entity.js';
import { User, type UserState } from '../../src/domain/user.entity.js';

/**
 * Test data builders: every call gives a valid entity with unique defaults, so a test names only
 * the fields it is about. Times are whole milliseconds after a fixed instant, which every store
 * keeps exactly.
 */

export const BASE_TIME = new Date('2026-01-01T00:00:00.000Z');

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `BASE_TIME` plus `offsetMs`. */
export const at = (offsetMs: number): Date => new Date(BASE_TIME.getTime() + offsetMs);

let sequence = 0;
const next = (): number => {
  sequence += 1;
  return sequence;
};

export const aUser = (overrides: Partial<UserState> = {}): User => {
  const n = next();
  return User.restore({
    id: randomUUID(),
    username: `user_${n}`,
    email: `user${n}@example.com`,
    passwordHash: `$2b$12$hash-of-user-${n}`,
    isActive: true,
    isVerified: false,
    createdAt: at(n),
    updatedAt: at(n),
    ...overrides,
  });
};

/** A session not stored yet: the repository assigns its id. */
export const aSession = (overrides: Partial<Omit<ChatSessionState, 'id'>> & { userId: string }): ChatSession => {
  const n = next();
  const session = ChatSession.start({ title: `Chat ${n}`, userId: overrides.userId, now: at(n) });
  // A builder may describe any stored state, not only one reachable through the entity's methods.
  return Object.assign(session, overrides);
};

/** A message not stored yet: the repository assigns its id. */
export const aMessage = (overrides: Partial<Omit<MessageState, 'id'>> & { sessionId: number }): Message => {
  const n = next();
  const message = Message.create({ sessionId: overrides.sessionId, text: `Message ${n}`, sender: 'user', now: at(n) });
  return Object.assign(message, overrides);
};

export const aLogin = (overrides: Partial<LoginState> & { userId: string }): Login => {
  const n = next();
  return Login.restore({
    id: randomUUID(),
    refreshTokenHash: `refresh-hash-${n}`,
    previousRefreshTokenHash: null,
    sealedPair: null,
    sealedPairExpiresAt: null,
    createdAt: at(0),
    lastUsedAt: at(0),
    expiresAt: at(30 * DAY),
    revokedAt: null,
    userAgent: null,
    address: null,
    ...overrides,
  });
};

/** A rotation's next token; with no sealed pair unless the test is about the grace window. */
export const nextToken = (tokenHash: string, sealedPair: string | null = null): NextRefresh => ({ tokenHash, sealedPair });

/** Rotations that extend a login by 30 days and keep no grace window. */
export const STRICT_30_DAYS: RotationPolicy = Object.freeze({ lifetimeMs: 30 * DAY, graceMs: 0 });

/** The stored fields of an entity, for comparing what went in with what came out. */
export const userState = (user: User): UserState => ({
  id: user.id,
  username: user.username,
  email: user.email,
  passwordHash: user.passwordHash,
  isActive: user.isActive,
  isVerified: user.isVerified,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});

export const sessionState = (session: ChatSession): ChatSessionState => ({
  id: session.id,
  title: session.title,
  userId: session.userId,
  isActive: session.isActive,
  messageCount: session.messageCount,
  lastMessageAt: session.lastMessageAt,
  lastMessageId: session.lastMessageId,
  createdAt: session.createdAt,
  updatedAt: session.updatedAt,
});

export const messageState = (message: Message): MessageState => ({
  id: message.id,
  sessionId: message.sessionId,
  parentId: message.parentId,
  clientId: message.clientId,
  text: message.text,
  sender: message.sender,
  status: message.status,
  metadata: message.metadata,
  isDeleted: message.isDeleted,
  editedAt: message.editedAt,
  createdAt: message.createdAt,
  updatedAt: message.updatedAt,
});

export const loginState = (login: Login): LoginState => ({
  id: login.id,
  userId: login.userId,
  refreshTokenHash: login.refreshTokenHash,
  previousRefreshTokenHash: login.previousRefreshTokenHash,
  sealedPair: login.sealedPair,
  sealedPairExpiresAt: login.sealedPairExpiresAt,
  createdAt: login.createdAt,
  lastUsedAt: login.lastUsedAt,
  expiresAt: login.expiresAt,
  revokedAt: login.revokedAt,
  userAgent: login.userAgent,
  address: login.address,
});
