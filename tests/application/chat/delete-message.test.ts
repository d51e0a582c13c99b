import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  NOT_AN_ID,
  SECOND,
  aSessionOf,
  caught,
  everythingOf,
  expectMessageNotFound,
  expectSessionNotFound,
  messagesOf,
  sendMessages,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('DeleteMessage', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  /** Three messages, one second apart, oldest first. */
  let sent: MessageView[];

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
    sent = await sendMessages(backend, alice, session.id, ['first', 'second', 'third']);
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const remove = (ids: { userId?: string; sessionId?: number | string; messageId?: number | string } = {}) =>
    backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: sent[1]!.id, ...ids });

  it('removes the message from every list and leaves the others', async () => {
    await remove();

    expect(await messagesOf(backend, alice, session.id)).toEqual([sent[0], sent[2]]);
    expect((await backend.getSession.execute({ userId: alice, sessionId: session.id })).messages.items).toEqual([
      sent[0],
      sent[2],
    ]);
    expect((await backend.scrollMessages.execute({ userId: alice, sessionId: session.id })).items).toEqual([
      sent[0],
      sent[2],
    ]);
  });

  it('accepts the session and message ids as strings of digits', async () => {
    await remove({ sessionId: String(session.id), messageId: String(sent[1]!.id) });

    expect(await messagesOf(backend, alice, session.id)).toEqual([sent[0], sent[2]]);
  });

  describe("the session's counts", () => {
    it('when a middle message is deleted, the count drops and the last message time stays', async () => {
      await remove();

      expect(await sessionOf(backend, alice, session.id)).toMatchObject({
        messageCount: 2,
        lastMessageAt: sent[2]!.createdAt,
      });
    });

    it('when the newest message is deleted, the last message time becomes that of the newest one left', async () => {
      await remove({ messageId: sent[2]!.id });

      expect(await sessionOf(backend, alice, session.id)).toMatchObject({
        messageCount: 2,
        lastMessageAt: sent[1]!.createdAt,
      });
    });

    it('when every message is deleted, the count is 0 and the last message time is null', async () => {
      for (const message of sent) await remove({ messageId: message.id });

      expect(await sessionOf(backend, alice, session.id)).toMatchObject({ messageCount: 0, lastMessageAt: null });
    });

    it("keeps the list's total in step with the session's count", async () => {
      await remove();

      const found = await backend.listMessages.execute({ userId: alice, sessionId: session.id });
      expect(found.pagination.total).toBe(2);
      expect((await sessionOf(backend, alice, session.id)).messageCount).toBe(2);
    });
  });

  describe('events', () => {
    it('publishes message.deleted for the owner with the session and message ids', async () => {
      await remove();

      expect(backend.events.events).toEqual([
        { type: 'message.deleted', userId: alice, sessionId: session.id, messageId: sent[1]!.id },
      ]);
    });

    it('when the delete fails, publishes nothing', async () => {
      await caught(remove({ userId: bob }));
      await caught(remove({ messageId: sent[1]!.id + 1000 }));

      expect(backend.events.events).toEqual([]);
    });
  });

  describe('not found', () => {
    it('when the message was already deleted, it is not found and nothing more changes', async () => {
      await remove();
      const before = await everythingOf(backend, alice);
      backend.events.clear();

      await expectMessageNotFound(remove());

      expect(await everythingOf(backend, alice)).toEqual(before);
      expect(backend.events.events).toEqual([]);
    });

    it("when the message belongs to another of the owner's sessions, it is not found there and stays", async () => {
      const other = await aSessionOf(backend, alice, 'Other');
      const before = await everythingOf(backend, alice);

      await expectMessageNotFound(remove({ sessionId: other.id }));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when another user deletes the message through their own session, the message is not found and stays', async () => {
      const bobs = await aSessionOf(backend, bob, "Bob's");
      const before = await everythingOf(backend, alice);

      await expectMessageNotFound(remove({ userId: bob, sessionId: bobs.id }));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it("when another user deletes the message through the owner's session, the session is not found and nothing changes", async () => {
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(remove({ userId: bob }));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, the session is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(remove());
    });

    it.each(NOT_AN_ID)('when the session id is %j, the session is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(remove({ sessionId }));
    });

    it.each(NOT_AN_ID)('when the message id is %j, the message is not found rather than invalid', async (messageId) => {
      await expectMessageNotFound(remove({ messageId }));
      expect(await messagesOf(backend, alice, session.id)).toEqual(sent);
    });
  });
});
