import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { ChatSession, ChatSessionState } from '../../src/domain/chat-session.entity.js';
import { ConflictError } from '../../src/domain/domain-error.js';
import type { Login, LoginState } from '../../src/domain/login.entity.js';
import type { Message } from '../../src/domain/message.entity.js';
import type { User, UserState } from '../../src/domain/user.entity.js';
import { aLogin, aMessage, aSession, aUser, at, HOUR, SECOND } from '../support/builders.js';
import type { RepositoryFixture, RepositoryTarget } from './repository-target.js';

export const EMOJI_TEXT = 'Hello 👋🏽 wörld — 你好 👨‍👩‍👧‍👦 🚀';
export const INJECTION_TEXT = `Robert'); DROP TABLE users; -- "quoted" \\ backslash \`tick\``;
export const DROP_TABLE = `'; DROP TABLE users; --`;

export const must = <T>(value: T | null | undefined): T => {
  if (value === null || value === undefined) throw new Error('expected a value, got nothing');
  return value;
};

export const idsOf = (items: readonly { readonly id: number }[]): number[] => items.map((item) => item.id);

export const expectConflict = async (attempt: Promise<unknown>, field: 'username' | 'email'): Promise<void> => {
  const error: unknown = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject(
    field === 'username'
      ? { kind: 'conflict', code: 'username_taken', message: 'Username already exists' }
      : { kind: 'conflict', code: 'email_taken', message: 'Email already exists' },
  );
};

type OpenStorage = Awaited<ReturnType<RepositoryTarget['open']>>;

/**
 * The target's storage for the describe block that calls it: opened before its first test, emptied
 * before each one, closed after the last. Every repository suite calls it, so each suite stands
 * alone and none sees rows another left.
 */
export const useRepositoryStorage = (target: RepositoryTarget) => {
  let storage: OpenStorage | undefined;

  beforeAll(async () => {
    storage = await target.open();
  });

  beforeEach(async () => {
    await must(storage).reset();
  });

  afterAll(async () => {
    await storage?.close();
  });

  // A suite takes its ports while vitest collects it, before `beforeAll` has opened anything, so
  // each one hands every call on to the open storage's port; the tests then read as if they held it.
  const openPort = <K extends keyof RepositoryFixture>(name: K): RepositoryFixture[K] =>
    new Proxy({} as RepositoryFixture[K], {
      get: (_, key) => {
        const port = must(storage)[name];
        const value: unknown = Reflect.get(port, key);
        return typeof value === 'function' ? value.bind(port) : value;
      },
    });
  const users = openPort('users');
  const logins = openPort('logins');
  const sessions = openPort('sessions');
  const messages = openPort('messages');
  const transactions = openPort('transactions');

  const givenUser = async (overrides: Partial<UserState> = {}): Promise<User> => {
    const user = aUser(overrides);
    await users.add(user);
    return user;
  };

  const givenSession = async (
    owner: User,
    overrides: Partial<Omit<ChatSessionState, 'id' | 'userId'>> = {},
  ): Promise<ChatSession> => {
    const session = aSession({ ...overrides, userId: owner.id });
    await sessions.add(session);
    return session;
  };

  /** Stores `count` messages one after another, a second apart, so ids and times rise together. */
  const givenMessages = async (session: ChatSession, count: number, startOffsetMs = HOUR): Promise<Message[]> => {
    const stored: Message[] = [];
    for (let i = 0; i < count; i += 1) {
      const message = aMessage({ sessionId: session.id, createdAt: at(startOffsetMs + i * SECOND), updatedAt: at(startOffsetMs + i * SECOND) });
      // Through the port, which counts it in its session as a send does.
      await messages.add(message);
      stored.push(message);
    }
    return stored;
  };

  const givenLogin = async (owner: User, overrides: Partial<LoginState> = {}): Promise<Login> => {
    const login = aLogin({ ...overrides, userId: owner.id });
    await logins.add(login);
    return login;
  };

  return {
    users,
    logins,
    sessions,
    messages,
    transactions,
    givenUser,
    givenSession,
    givenLogin,
    givenMessages,
  };
};
