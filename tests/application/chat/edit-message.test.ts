import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  HTML_TEXT,
  NOT_AN_ID,
  SECOND,
  SQL_TEXTS,
  aSessionOf,
  caught,
  everythingOf,
  expectMessageNotFound,
  expectSessionNotFound,
  expectValidationError,
  messagesOf,
  sendMessages,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('EditMessage', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  let message: MessageView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
    message = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Original', sender: 'assistant' });
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const edit = (text: string, ids: { userId?: string; sessionId?: number | string; messageId?: number | string } = {}) =>
    backend.editMessage.execute({ userId: alice, sessionId: session.id, messageId: message.id, text, ...ids });

  it('replaces the text and the updated time; id, session, sender and creation time stay', async () => {
    const edited = await edit('Corrected');

    expect(edited).toEqual({ ...message, text: 'Corrected', editedAt: backend.clock.now(), updatedAt: backend.clock.now() });
    expect(await messagesOf(backend, alice, session.id)).toEqual([edited]);
  });

  it('leaves the message count and the other messages as they were', async () => {
    const [other] = await sendMessages(backend, alice, session.id, ['Untouched']);
    const sessionBefore = await sessionOf(backend, alice, session.id);

    await edit('Corrected');

    expect((await messagesOf(backend, alice, session.id))[1]).toEqual(other);
    expect((await sessionOf(backend, alice, session.id)).messageCount).toBe(sessionBefore.messageCount);
  });

  it('accepts the session and message ids as strings of digits', async () => {
    const edited = await edit('By strings', { sessionId: String(session.id), messageId: String(message.id) });

    expect(edited).toMatchObject({ id: message.id, text: 'By strings' });
  });

  describe('text', () => {
    it('sanitizes the new text as a sent one: trimmed, NFC, control characters gone, newlines and tabs kept', async () => {
      const edited = await edit('  Cafe\u0301\u0000\n\tnext\u001b line  ');

      expect(edited.text).toBe('Caf\u00e9\n\tnext line');
    });

    it('accepts 5000 characters and refuses 5001', async () => {
      expect((await edit('y'.repeat(5000))).text).toBe('y'.repeat(5000));
      await expectValidationError(edit('y'.repeat(5001)), ['text: must be 1-5000 characters']);
    });

    it.each(['', '  ', '\n\t', '\u0000'])('refuses the text %j, empty once sanitized', async (text) => {
      await expectValidationError(edit(text), ['text: must be 1-5000 characters']);
    });

    it('when the text is missing, it is reported as required', async () => {
      await expectValidationError(edit(undefined as unknown as string), ['text: is required']);
    });

    it('refuses text that is not a string', async () => {
      await expectValidationError(edit(['a'] as unknown as string), ['text: must be a string']);
    });

    it('when the new text is refused, the message stays as it was', async () => {
      await caught(edit(''));

      expect(await messagesOf(backend, alice, session.id)).toEqual([message]);
    });

    it('stores HTML and SQL-looking text as written', async () => {
      expect((await edit(HTML_TEXT)).text).toBe(HTML_TEXT);
      for (const text of SQL_TEXTS) {
        await edit(text);
        expect((await messagesOf(backend, alice, session.id))[0]!.text).toBe(text);
      }
    });
  });

  describe('mass assignment', () => {
    it('when the input carries extra keys, only the text changes', async () => {
      const elsewhere = await aSessionOf(backend, alice, 'Elsewhere');
      const extras = {
        id: 999,
        sender: 'system',
        isDeleted: true,
        is_deleted: true,
        createdAt: new Date('2020-01-01T00:00:00.000Z'),
        session_id: elsewhere.id,
        body: { sessionId: elsewhere.id, userId: bob },
        user_id: bob,
      };

      const edited = await backend.editMessage.execute({
        ...extras,
        userId: alice,
        sessionId: session.id,
        messageId: message.id,
        text: 'Only the text',
      });

      expect(edited).toEqual({ ...message, text: 'Only the text', editedAt: backend.clock.now(), updatedAt: backend.clock.now() });
      expect(await messagesOf(backend, alice, session.id)).toEqual([edited]);
      expect(await messagesOf(backend, alice, elsewhere.id)).toEqual([]);
    });
  });

  describe('events', () => {
    it('publishes message.updated for the owner with the session id and the edited message', async () => {
      const edited = await edit('Evented');

      expect(backend.events.events).toEqual([
        { type: 'message.updated', userId: alice, sessionId: session.id, message: edited },
      ]);
    });

    it('when the edit fails, publishes nothing', async () => {
      await caught(edit(''));
      await caught(edit('Not yours', { userId: bob }));
      await caught(edit('No such message', { messageId: message.id + 1000 }));

      expect(backend.events.events).toEqual([]);
    });
  });

  describe('not found', () => {
    it('when the message was deleted, it cannot be edited and stays deleted', async () => {
      await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: message.id });

      await expectMessageNotFound(edit('Resurrected'));

      expect(await messagesOf(backend, alice, session.id)).toEqual([]);
    });

    it("when the message belongs to another of the owner's sessions, it is not found there and stays unchanged", async () => {
      const other = await aSessionOf(backend, alice, 'Other');

      await expectMessageNotFound(edit('Wrong session', { sessionId: other.id }));

      expect(await messagesOf(backend, alice, session.id)).toEqual([message]);
    });

    it("when another user edits the message through their own session, the message is not found and stays unchanged", async () => {
      const bobs = await aSessionOf(backend, bob, "Bob's");
      const before = await everythingOf(backend, alice);

      await expectMessageNotFound(edit('Hijacked', { userId: bob, sessionId: bobs.id }));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it("when another user edits the message through the owner's session, the session is not found and nothing changes", async () => {
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(edit('Hijacked', { userId: bob }));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when no message has that id, it is not found', async () => {
      await expectMessageNotFound(edit('Ghost', { messageId: message.id + 1000 }));
    });

    it('when the session was deleted, the session is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(edit('Too late'));
    });

    it.each(NOT_AN_ID)('when the session id is %j, the session is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(edit('Whatever', { sessionId }));
    });

    it.each(NOT_AN_ID)('when the message id is %j, the message is not found rather than invalid', async (messageId) => {
      await expectMessageNotFound(edit('Whatever', { messageId }));
    });
  });
});
