import { beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryChatBackend } from '../../../src/testing.js';
import { RateLimitedError, UnavailableError } from '../../../src/domain/domain-error.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import type { Sender } from '../../../src/domain/message.entity.js';
import {
  HTML_TEXT,
  NOT_AN_ID,
  SECOND,
  SQL_TEXTS,
  aSessionOf,
  caught,
  everythingOf,
  expectSessionNotFound,
  expectValidationError,
  messagesOf,
  sessionOf,
  signedInUser,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('SendMessage', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const send = (text: string, sender?: Sender, userId = alice) =>
    backend.sendMessage.execute({ userId, sessionId: session.id, text, ...(sender === undefined ? {} : { sender }) });

  describe('when it succeeds', () => {
    it('stores the message, sent by the user by default, created now, and returns it', async () => {
      const message = await send('Hello!');

      expect(message).toEqual({
        id: expect.any(Number),
        sessionId: session.id,
        parentId: null,
        clientId: null,
        text: 'Hello!',
        sender: 'user',
        status: 'complete',
        metadata: null,
        editedAt: null,
        createdAt: backend.clock.now(),
        updatedAt: backend.clock.now(),
      });
      expect(await messagesOf(backend, alice, session.id)).toEqual([message]);
    });

    it.each(['user', 'assistant', 'system'] as const)('accepts the sender %s', async (sender) => {
      const message = await send(`From ${sender}`, sender);

      expect(message.sender).toBe(sender);
      expect((await messagesOf(backend, alice, session.id))[0]!.sender).toBe(sender);
    });

    it('accepts the session id as a string of digits', async () => {
      const message = await backend.sendMessage.execute({ userId: alice, sessionId: String(session.id), text: 'Hi' });

      expect(message.sessionId).toBe(session.id);
    });

    it('gives each message a larger id than the one before', async () => {
      const first = await send('one');
      const other = await aSessionOf(backend, alice, 'Other');
      const elsewhere = await backend.sendMessage.execute({ userId: alice, sessionId: other.id, text: 'two' });
      const third = await send('three');

      expect(elsewhere.id).toBeGreaterThan(first.id);
      expect(third.id).toBeGreaterThan(elsewhere.id);
    });

    it("bumps the session's updated time, message count and last message time", async () => {
      const first = await send('first');
      expect(await sessionOf(backend, alice, session.id)).toEqual({
        ...session,
        messageCount: 1,
        lastMessageAt: first.createdAt,
        updatedAt: first.createdAt,
      });

      backend.clock.advance(5 * SECOND);
      const second = await send('second');

      expect(second.createdAt.getTime() - first.createdAt.getTime()).toBe(5 * SECOND);
      expect(await sessionOf(backend, alice, session.id)).toEqual({
        ...session,
        messageCount: 2,
        lastMessageAt: second.createdAt,
        updatedAt: second.createdAt,
      });
    });

    it('stores every one of 50 concurrent messages once, with unique increasing ids', async () => {
      const texts = Array.from({ length: 50 }, (_, index) => `Concurrent ${index}`);

      const sent = await Promise.all(texts.map((text) => send(text)));

      const stored = await messagesOf(backend, alice, session.id);
      expect(stored).toHaveLength(50);
      expect([...stored].sort((a, b) => a.id - b.id)).toEqual(stored);
      expect(new Set(stored.map((message) => message.id)).size).toBe(50);
      expect(stored.map((message) => message.text).sort()).toEqual([...texts].sort());
      expect([...sent].sort((a, b) => a.id - b.id)).toEqual(stored);
      expect((await sessionOf(backend, alice, session.id)).messageCount).toBe(50);
    });
  });

  describe('text sanitizing', () => {
    it('trims the text, normalizes it to NFC and strips control characters', async () => {
      const message = await send('  \n Cafe\u0301\u0000 au\u0007 lait\u007f\u009b \t ');

      expect(message.text).toBe('Caf\u00e9 au lait');
    });

    it('keeps newlines and tabs inside the text', async () => {
      const message = await send('line one\nline two\n\tindented\tcell');

      expect(message.text).toBe('line one\nline two\n\tindented\tcell');
    });

    it('replaces a lone surrogate, which no database would store, with U+FFFD', async () => {
      expect((await send('broken \uD83D pair')).text).toBe('broken \uFFFD pair');
    });

    it('drops the carriage return of a CRLF line break, a control character, and keeps the newline', async () => {
      expect((await send('first\r\nsecond')).text).toBe('first\nsecond');
    });

    it('accepts 5000 characters and refuses 5001', async () => {
      expect((await send('x'.repeat(5000))).text).toBe('x'.repeat(5000));
      await expectValidationError(send('x'.repeat(5001)), ['text: must be 1-5000 characters']);
    });

    it('counts characters as code points: 5000 emoji are accepted', async () => {
      const text = '👋'.repeat(5000);

      expect((await send(text)).text).toBe(text);
    });

    it.each(['', '   ', '\n\t\n', '\u0000\u0008'])('refuses the text %j, empty once sanitized', async (text) => {
      await expectValidationError(send(text), ['text: must be 1-5000 characters']);
    });

    it('stores HTML as written', async () => {
      const message = await send(HTML_TEXT);

      expect(message.text).toBe(HTML_TEXT);
      expect((await messagesOf(backend, alice, session.id))[0]!.text).toBe(HTML_TEXT);
    });

    it.each(SQL_TEXTS)('stores the SQL-looking text %s as written', async (text) => {
      await send(text);

      expect((await messagesOf(backend, alice, session.id)).map((message) => message.text)).toEqual([text]);
    });

    it('refuses text that is not a string', async () => {
      await expectValidationError(send(12 as unknown as string), ['text: must be a string']);
    });

    it('when the text is missing, it is reported as required', async () => {
      await expectValidationError(backend.sendMessage.execute({ userId: alice, sessionId: session.id } as never), [
        'text: is required',
      ]);
    });
  });

  describe('sender', () => {
    it.each(['admin', 'USER', 'bot', '', 3])('refuses the sender %j', async (sender) => {
      await expectValidationError(send('Hello', sender as Sender), ['sender: must be one of user, assistant, system']);
    });

    it('when the sender is null, it is the default, user (as a null title is the default title)', async () => {
      const message = await send('Hello', null as unknown as Sender);

      expect(message.sender).toBe('user');
    });

    it('when both text and sender are wrong, reports both', async () => {
      await expectValidationError(send(' ', 'robot' as Sender), [
        'text: must be 1-5000 characters',
        'sender: must be one of user, assistant, system',
      ]);
    });
  });

  describe('mass assignment', () => {
    it('when the input carries extra keys, the message is stored as a fresh one in the given session', async () => {
      const elsewhere = await aSessionOf(backend, bob, "Bob's");
      const extras = {
        id: 999,
        isDeleted: true,
        is_deleted: true,
        createdAt: new Date('2020-01-01T00:00:00.000Z'),
        session_id: elsewhere.id,
        message: { sessionId: elsewhere.id, userId: bob },
        user_id: bob,
      };

      const message = await backend.sendMessage.execute({ ...extras, userId: alice, sessionId: session.id, text: 'Mine' });

      expect(message).toEqual({
        id: expect.any(Number),
        sessionId: session.id,
        parentId: null,
        clientId: null,
        text: 'Mine',
        sender: 'user',
        status: 'complete',
        metadata: null,
        editedAt: null,
        createdAt: backend.clock.now(),
        updatedAt: backend.clock.now(),
      });
      expect(message.id).not.toBe(999);
      expect(await messagesOf(backend, alice, session.id)).toEqual([message]);
      expect(await messagesOf(backend, bob, elsewhere.id)).toEqual([]);
    });
  });

  describe('events', () => {
    it('publishes message.created for the owner with the session id and the message', async () => {
      const message = await send('Evented', 'assistant');

      expect(backend.events.events).toEqual([
        { type: 'message.created', userId: alice, sessionId: session.id, message },
      ]);
    });

    it('when the message is refused, publishes nothing and stores nothing', async () => {
      await caught(send(''));
      await caught(send('ok', 'nobody' as Sender));
      await caught(send('not yours', undefined, bob));

      expect(backend.events.events).toEqual([]);
      expect(await sessionOf(backend, alice, session.id)).toEqual(session);
      expect(await messagesOf(backend, alice, session.id)).toEqual([]);
    });
  });

  describe('not found', () => {
    it('when another user sends to the session, it is not found and stays unchanged', async () => {
      await send('private');
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(send('intrusion', undefined, bob));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, it is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(send('Anyone?'));
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(backend.sendMessage.execute({ userId: alice, sessionId, text: 'Hello' }));
    });
  });
  describe('the limit on message writes', () => {
    const TOO_MANY = { kind: 'rate_limited', code: 'rate_limited', message: 'Too many messages, try again later' };
    const limited = async (perMinute: number) => {
      const limitedBackend = createInMemoryChatBackend({ messageWritesPerMinute: perMinute });
      const carol = await signedInUser(limitedBackend);
      const dave = await signedInUser(limitedBackend);
      const sessionOfCarol = await aSessionOf(limitedBackend, carol, 'Busy');
      const sessionOfDave = await aSessionOf(limitedBackend, dave, 'Quiet');
      const write = (userId: string, sessionId: number) => limitedBackend.sendMessage.execute({ userId, sessionId, text: 'hi' });
      return { limitedBackend, carol, dave, sessionOfCarol, sessionOfDave, write };
    };

    it('when a user writes more in a minute than the limit, refuses the next with how long to wait and stores nothing; another user writes on', async () => {
      const { limitedBackend, carol, dave, sessionOfCarol, sessionOfDave, write } = await limited(3);
      for (let n = 0; n < 3; n += 1) await write(carol, sessionOfCarol.id);

      const refusal = await write(carol, sessionOfCarol.id).catch((error: unknown) => error);

      expect(refusal).toBeInstanceOf(RateLimitedError);
      expect(refusal).toMatchObject(TOO_MANY);
      expect((refusal as RateLimitedError).retryAfterSeconds).toBe(60);
      expect(await messagesOf(limitedBackend, carol, sessionOfCarol.id)).toHaveLength(3);
      await expect(write(dave, sessionOfDave.id)).resolves.toMatchObject({ text: 'hi' });
    });

    it('when the minute has passed on the clock, the user may write again', async () => {
      const { limitedBackend, carol, sessionOfCarol, write } = await limited(1);
      await write(carol, sessionOfCarol.id);
      await expect(write(carol, sessionOfCarol.id)).rejects.toMatchObject(TOO_MANY);

      limitedBackend.clock.advance(60 * SECOND);

      await expect(write(carol, sessionOfCarol.id)).resolves.toMatchObject({ text: 'hi' });
    });

    it('when writes arrive at once, stores no more than the limit', async () => {
      const { limitedBackend, carol, sessionOfCarol, write } = await limited(5);

      const results = await Promise.allSettled(Array.from({ length: 15 }, () => write(carol, sessionOfCarol.id)));

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
      expect(await messagesOf(limitedBackend, carol, sessionOfCarol.id)).toHaveLength(5);
    });

    it('when the counters cannot be reached, messages are still written: the limit only keeps volume sane', async () => {
      const down = () => Promise.reject(new UnavailableError('Rate limiting is unavailable'));
      const outage = createInMemoryChatBackend({
        counters: { counter: () => ({ add: down, subtract: down, get: down, hold: down, delete: down }) },
      });
      const erin = await signedInUser(outage);
      const chat = await aSessionOf(outage, erin, 'Outage');

      await expect(outage.sendMessage.execute({ userId: erin, sessionId: chat.id, text: 'still here' })).resolves.toMatchObject({ text: 'still here' });
    });
  });
});
