import { beforeEach, describe, expect, it } from 'vitest';
import {
  HTML_TEXT,
  SQL_TEXTS,
  caught,
  everythingOf,
  expectValidationError,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('CreateSession', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
  });

  describe('when it succeeds', () => {
    it('when no title is given, the session is called "New Chat" and starts empty, created now', async () => {
      const session = await backend.createSession.execute({ userId: alice });

      expect(session).toEqual({
        id: expect.any(Number),
        title: 'New Chat',
        messageCount: 0,
        lastMessageAt: null,
        createdAt: backend.clock.now(),
        updatedAt: backend.clock.now(),
      });
      expect(Number.isSafeInteger(session.id) && session.id > 0).toBe(true);
    });

    it('when the title is null, the session is called "New Chat"', async () => {
      const session = await backend.createSession.execute({ userId: alice, title: null });

      expect(session.title).toBe('New Chat');
    });

    it('stores the session so its owner can read it back as it was returned', async () => {
      const created = await backend.createSession.execute({ userId: alice, title: 'Plans' });

      expect(await sessionOf(backend, alice, created.id)).toEqual(created);
    });

    it('gives each new session a new, larger id', async () => {
      const first = await backend.createSession.execute({ userId: alice });
      const second = await backend.createSession.execute({ userId: alice });
      const third = await backend.createSession.execute({ userId: bob });

      expect(second.id).toBeGreaterThan(first.id);
      expect(third.id).toBeGreaterThan(second.id);
    });
  });

  describe('title sanitizing', () => {
    it('trims whitespace around the title', async () => {
      const session = await backend.createSession.execute({ userId: alice, title: '  \t My chat \n ' });

      expect(session.title).toBe('My chat');
    });

    it('normalizes the title to NFC', async () => {
      const session = await backend.createSession.execute({ userId: alice, title: 'Cafe\u0301 talk' });

      expect(session.title).toBe('Caf\u00e9 talk');
    });

    it('strips control characters from the title', async () => {
      const session = await backend.createSession.execute({ userId: alice, title: 'Hel\u0000lo\u0007 Wor\u001bld\u007f\u0085' });

      expect(session.title).toBe('Hello World');
    });

    it.each([
      ['empty', ''],
      ['only spaces', '     '],
      ['only newlines and tabs', '\n\t\n'],
      ['only control characters', '\u0000\u0007\u001b'],
    ])('when the title is %s, it is refused as 1-255 characters', async (_label, title) => {
      await expectValidationError(backend.createSession.execute({ userId: alice, title }), [
        'title: must be 1-255 characters',
      ]);
    });

    it('accepts a title of 255 characters', async () => {
      const title = 'a'.repeat(255);

      expect((await backend.createSession.execute({ userId: alice, title })).title).toBe(title);
    });

    it('refuses a title of 256 characters', async () => {
      await expectValidationError(backend.createSession.execute({ userId: alice, title: 'a'.repeat(256) }), [
        'title: must be 1-255 characters',
      ]);
    });

    it('counts characters as code points: 255 emoji are accepted, 256 are not', async () => {
      const title = '😀'.repeat(255);

      expect((await backend.createSession.execute({ userId: alice, title })).title).toBe(title);
      await expectValidationError(backend.createSession.execute({ userId: alice, title: '😀'.repeat(256) }), [
        'title: must be 1-255 characters',
      ]);
    });

    it('counts characters after NFC and trimming', async () => {
      const decomposed = 'e\u0301'.repeat(255);

      const session = await backend.createSession.execute({ userId: alice, title: `   ${decomposed}   ` });

      expect(session.title).toBe('\u00e9'.repeat(255));
    });

    it('stores HTML in the title as written', async () => {
      expect((await backend.createSession.execute({ userId: alice, title: HTML_TEXT })).title).toBe(HTML_TEXT);
    });

    it.each(SQL_TEXTS)('stores the SQL-looking title %s as written', async (title) => {
      const session = await backend.createSession.execute({ userId: alice, title });

      expect((await sessionOf(backend, alice, session.id)).title).toBe(title);
    });

    it('refuses a title that is not a string', async () => {
      await expectValidationError(backend.createSession.execute({ userId: alice, title: 42 as unknown as string }), [
        'title: must be a string',
      ]);
    });
  });

  describe('mass assignment', () => {
    it('when the input carries extra keys, they change nothing', async () => {
      const extras = {
        id: 999,
        userId: alice,
        isActive: false,
        is_active: false,
        messageCount: 7,
        lastMessageAt: new Date('2020-01-01T00:00:00.000Z'),
        createdAt: new Date('2020-01-01T00:00:00.000Z'),
        user_id: bob,
        session: { userId: bob, id: 999 },
      };

      const session = await backend.createSession.execute({ ...extras, userId: alice, title: 'Mine' });

      expect(session).toEqual({
        id: expect.any(Number),
        title: 'Mine',
        messageCount: 0,
        lastMessageAt: null,
        createdAt: backend.clock.now(),
        updatedAt: backend.clock.now(),
      });
      expect(session.id).not.toBe(999);
      expect((await everythingOf(backend, alice)).sessions).toEqual([session]);
      expect((await everythingOf(backend, bob)).sessions).toEqual([]);
    });
  });

  describe('events', () => {
    it('publishes session.created for the owner with the new session', async () => {
      const session = await backend.createSession.execute({ userId: alice, title: 'Hello' });

      expect(backend.events.events).toEqual([{ type: 'session.created', userId: alice, session }]);
    });

    it('when the title is refused, publishes nothing and stores nothing', async () => {
      await caught(backend.createSession.execute({ userId: alice, title: ' ' }));

      expect(backend.events.events).toEqual([]);
      expect((await everythingOf(backend, alice)).sessions).toEqual([]);
    });
  });
});
