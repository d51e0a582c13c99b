import { expect } from 'vitest';
import type { RegisterUserInput } from '../../src/application/auth/register-user.use-case.js';
import type { MessageView } from '../../src/application/views/message.view.js';
import type { SessionView } from '../../src/application/views/session.view.js';
import { NotFoundError, ValidationError } from '../../src/domain/domain-error.js';
import { createInMemoryChatBackend, type InMemoryChatBackend } from '../../src/testing.js';

/**
 * Helpers for the chat use-case tests: everything goes through the public use cases of the
 * in-memory harness, so a test sees what any in-process caller would see.
 */

export type Backend = InMemoryChatBackend;

export const SECOND = 1_000;

export const PASSWORD = 'Chat-Passw0rd';

/** Values that name no session or message: they are "not found", never a validation error. */
export const NOT_AN_ID: readonly (string | number)[] = ['abc', 0, -1, 1.5, '1e3', '', '-1'];

/** Text that would break a query built by concatenation; it must be stored as plain text. */
export const SQL_TEXTS: readonly string[] = [`'; DROP TABLE users; --`, `" OR 1=1`];

export const HTML_TEXT = '<script>alert("hi")</script><b onclick="x()">bold</b> &amp; co';

let sequence = 0;

/** Registers a user (unique name and email unless overridden) and returns its id. */
export const signedInUser = async (backend: Backend, overrides: Partial<RegisterUserInput> = {}): Promise<string> => {
  sequence += 1;
  const { user } = await backend.registerUser.execute({
    username: `chat_user_${sequence}`,
    email: `chat.user.${sequence}@example.com`,
    password: PASSWORD,
    ...overrides,
  });
  return user.id;
};

/** A fresh backend with two users (`alice` owns the data, `bob` tries to reach it) and no events recorded. */
export const twoUsers = async (): Promise<{ backend: Backend; alice: string; bob: string }> => {
  const backend = createInMemoryChatBackend();
  const alice = await signedInUser(backend);
  const bob = await signedInUser(backend);
  // Each test then sees only the events its own calls published.
  backend.events.clear();
  return { backend, alice, bob };
};

export const aSessionOf = (backend: Backend, userId: string, title = 'A chat'): Promise<SessionView> =>
  backend.createSession.execute({ userId, title });

/** `count` distinct texts: "Message 1", "Message 2", ... */
export const numberedTexts = (count: number, prefix = 'Message'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`);

/** Sends each text in turn, the clock one second further for each, and returns them oldest first. */
export const sendMessages = async (
  backend: Backend,
  userId: string,
  sessionId: number,
  texts: readonly string[],
): Promise<MessageView[]> => {
  const sent: MessageView[] = [];
  for (const text of texts) {
    backend.clock.advance(SECOND);
    sent.push(await backend.sendMessage.execute({ userId, sessionId, text }));
  }
  return sent;
};

/** The session as its owner sees it now. */
export const sessionOf = async (backend: Backend, userId: string, sessionId: number): Promise<SessionView> =>
  (await backend.getSession.execute({ userId, sessionId })).session;

/** Every live message of the session, oldest first, as its owner sees them. */
export const messagesOf = async (backend: Backend, userId: string, sessionId: number): Promise<MessageView[]> => {
  const all: MessageView[] = [];
  for (let page = 1; ; page += 1) {
    const found = await backend.listMessages.execute({ userId, sessionId, page, perPage: 200 });
    all.push(...found.items);
    if (!found.pagination.hasNext) return all;
  }
};

/** Everything a user can see: their sessions, and the messages of each. */
export const everythingOf = async (
  backend: Backend,
  userId: string,
): Promise<{ sessions: SessionView[]; messages: Record<number, MessageView[]> }> => {
  const sessions: SessionView[] = [];
  for (let page = 1; ; page += 1) {
    const found = await backend.listSessions.execute({ userId, page, perPage: 100 });
    sessions.push(...found.items);
    if (!found.pagination.hasNext) break;
  }
  const messages: Record<number, MessageView[]> = {};
  for (const session of sessions) messages[session.id] = await messagesOf(backend, userId, session.id);
  return { sessions, messages };
};

/** What `call` rejected with; fails the test if it resolved. */
export const caught = async (call: Promise<unknown>): Promise<unknown> => {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
};

export const expectSessionNotFound = async (call: Promise<unknown>): Promise<void> => {
  const error = await caught(call);
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error).toMatchObject({ kind: 'not_found', message: 'Session not found', code: 'session_not_found' });
};

export const expectMessageNotFound = async (call: Promise<unknown>): Promise<void> => {
  const error = await caught(call);
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error).toMatchObject({ kind: 'not_found', message: 'Message not found', code: 'message_not_found' });
};

/** The call fails validation with exactly these details. */
export const expectValidationError = async (call: Promise<unknown>, details: readonly string[]): Promise<void> => {
  const error = await caught(call);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ kind: 'validation', code: 'validation_failed', message: 'Validation failed' });
  expect((error as ValidationError).details).toEqual(details);
};
