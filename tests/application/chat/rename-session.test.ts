import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/application/views/session.view.js';
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
  sendMessages,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('RenameSession', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Old title');
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const rename = (title: string, userId = alice) =>
    backend.renameSession.execute({ userId, sessionId: session.id, title });

  it('changes the title and the updated time, and keeps everything else', async () => {
    await sendMessages(backend, alice, session.id, ['hello']);
    const before = await sessionOf(backend, alice, session.id);
    backend.clock.advance(SECOND);

    const renamed = await rename('New title');

    expect(renamed).toEqual({ ...before, title: 'New title', updatedAt: backend.clock.now() });
    expect(await sessionOf(backend, alice, session.id)).toEqual(renamed);
  });

  it('accepts the session id as a string of digits', async () => {
    const renamed = await backend.renameSession.execute({ userId: alice, sessionId: String(session.id), title: 'Text id' });

    expect(renamed).toMatchObject({ id: session.id, title: 'Text id' });
  });

  describe('title sanitizing', () => {
    it('trims, normalizes to NFC and strips control characters', async () => {
      const renamed = await rename('  Cafe\u0301\u0000 plans\u0007 \n');

      expect(renamed.title).toBe('Caf\u00e9 plans');
    });

    it.each(['', '   ', '\t\n', '\u0000\u001f'])('refuses the title %j, empty once sanitized', async (title) => {
      await expectValidationError(rename(title), ['title: must be 1-255 characters']);
    });

    it('accepts 255 characters and refuses 256', async () => {
      expect((await rename('b'.repeat(255))).title).toBe('b'.repeat(255));
      await expectValidationError(rename('b'.repeat(256)), ['title: must be 1-255 characters']);
    });

    it('accepts a title of 255 emoji', async () => {
      const title = '🎉'.repeat(255);

      expect((await rename(title)).title).toBe(title);
    });

    it('stores HTML and SQL-looking titles as written', async () => {
      expect((await rename(HTML_TEXT)).title).toBe(HTML_TEXT);
      for (const title of SQL_TEXTS) {
        await rename(title);
        expect((await sessionOf(backend, alice, session.id)).title).toBe(title);
      }
    });

    it('refuses a title that is not a string', async () => {
      await expectValidationError(rename(null as unknown as string), ['title: must be a string']);
    });

    it('when the title is missing, it is reported as required', async () => {
      await expectValidationError(backend.renameSession.execute({ userId: alice, sessionId: session.id } as never), [
        'title: is required',
      ]);
    });

    it('when the title is refused, the session keeps its old title and time', async () => {
      await caught(rename(' '));

      expect(await sessionOf(backend, alice, session.id)).toEqual(session);
    });
  });

  describe('mass assignment', () => {
    it('when the input carries extra keys, only the title changes', async () => {
      const extras = {
        id: 999,
        isActive: false,
        is_active: false,
        messageCount: 42,
        lastMessageAt: new Date('2020-01-01T00:00:00.000Z'),
        createdAt: new Date('2020-01-01T00:00:00.000Z'),
        user_id: bob,
        owner: { userId: bob },
      };

      const renamed = await backend.renameSession.execute({ ...extras, userId: alice, sessionId: session.id, title: 'Only this' });

      expect(renamed).toEqual({ ...session, title: 'Only this', updatedAt: backend.clock.now() });
      expect((await everythingOf(backend, alice)).sessions).toEqual([renamed]);
      expect((await everythingOf(backend, bob)).sessions).toEqual([]);
    });
  });

  describe('events', () => {
    it('publishes session.updated for the owner with the renamed session', async () => {
      const renamed = await rename('Evented');

      expect(backend.events.events).toEqual([{ type: 'session.updated', userId: alice, session: renamed }]);
    });

    it('when the rename fails, publishes nothing', async () => {
      await caught(rename(''));
      await caught(rename('Not yours', bob));

      expect(backend.events.events).toEqual([]);
    });
  });

  describe('not found', () => {
    it('when another user renames the session, it is not found and stays unchanged', async () => {
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(rename('Taken over', bob));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, it is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(rename('Too late'));
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(backend.renameSession.execute({ userId: alice, sessionId, title: 'Whatever' }));
    });
  });
});
