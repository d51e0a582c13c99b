import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  NOT_AN_ID,
  SECOND,
  aSessionOf,
  caught,
  everythingOf,
  expectSessionNotFound,
  messagesOf,
  numberedTexts,
  sendMessages,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('ClearMessages', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  let sent: MessageView[];

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
    sent = await sendMessages(backend, alice, session.id, numberedTexts(4));
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const clear = (userId = alice, sessionId: number | string = session.id) =>
    backend.clearMessages.execute({ userId, sessionId });

  it('deletes every message of the session and says how many', async () => {
    expect(await clear()).toEqual({ deletedCount: 4 });

    expect(await messagesOf(backend, alice, session.id)).toEqual([]);
    expect(await backend.scrollMessages.execute({ userId: alice, sessionId: session.id })).toEqual({
      items: [],
      hasMore: false,
    });
  });

  it("resets the session's count and last message time, and keeps the session", async () => {
    const before = await sessionOf(backend, alice, session.id);

    await clear();

    const after = await sessionOf(backend, alice, session.id);
    expect(after).toMatchObject({ id: session.id, title: 'Talk', messageCount: 0, lastMessageAt: null });
    expect(after.createdAt).toEqual(before.createdAt);
    expect((await backend.listSessions.execute({ userId: alice })).items.map((each) => each.id)).toEqual([session.id]);
  });

  it('counts only the messages that were still there', async () => {
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: sent[0]!.id });

    expect(await clear()).toEqual({ deletedCount: 3 });
  });

  it('when the session has no messages, deletes none', async () => {
    await clear();

    expect(await clear()).toEqual({ deletedCount: 0 });
    expect(await sessionOf(backend, alice, session.id)).toMatchObject({ messageCount: 0, lastMessageAt: null });
  });

  it("leaves the owner's other sessions and their messages as they were", async () => {
    const other = await aSessionOf(backend, alice, 'Other');
    await sendMessages(backend, alice, other.id, ['keep me']);
    const before = await everythingOf(backend, alice);

    await clear();

    const after = await everythingOf(backend, alice);
    expect(after.messages[other.id]).toEqual(before.messages[other.id]);
    expect(after.sessions.find((each) => each.id === other.id)).toEqual(
      before.sessions.find((each) => each.id === other.id),
    );
  });

  it('accepts the session id as a string of digits', async () => {
    expect(await clear(alice, String(session.id))).toEqual({ deletedCount: 4 });
  });

  it('after clearing, new messages can be sent and are the only ones listed', async () => {
    await clear();

    const [fresh] = await sendMessages(backend, alice, session.id, ['a fresh start']);

    expect(await messagesOf(backend, alice, session.id)).toEqual([fresh]);
    expect(await sessionOf(backend, alice, session.id)).toMatchObject({
      messageCount: 1,
      lastMessageAt: fresh!.createdAt,
    });
  });

  describe('events', () => {
    it('publishes messages.cleared for the owner with the session id and how many were deleted', async () => {
      await clear();

      expect(backend.events.events).toEqual([
        { type: 'messages.cleared', userId: alice, sessionId: session.id, deletedCount: 4 },
      ]);
    });

    it('when the clear fails, publishes nothing', async () => {
      await caught(clear(bob));
      await caught(clear(alice, session.id + 1000));

      expect(backend.events.events).toEqual([]);
    });
  });

  describe('not found', () => {
    it('when another user clears the session, it is not found and stays unchanged', async () => {
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(clear(bob));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, it is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(clear());
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(clear(alice, sessionId));
      expect(await messagesOf(backend, alice, session.id)).toEqual(sent);
    });
  });
});
