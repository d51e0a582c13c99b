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
  sendMessages,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('DeleteSession', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  let message: MessageView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'To be deleted');
    [message] = (await sendMessages(backend, alice, session.id, ['still here?'])) as [MessageView];
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const deleteIt = (userId = alice) => backend.deleteSession.execute({ userId, sessionId: session.id });

  it('when the owner deletes the session, it leaves their list', async () => {
    const kept = await aSessionOf(backend, alice, 'Kept');

    await deleteIt();

    const found = await backend.listSessions.execute({ userId: alice });
    expect(found.items).toEqual([kept]);
    expect(found.pagination.total).toBe(1);
  });

  it('accepts the session id as a string of digits', async () => {
    await backend.deleteSession.execute({ userId: alice, sessionId: String(session.id) });

    expect((await everythingOf(backend, alice)).sessions).toEqual([]);
  });

  describe('afterwards the session is not found anywhere', () => {
    beforeEach(async () => {
      await deleteIt();
    });

    const sessionId = (): number => session.id;

    it('not by getSession', async () => {
      await expectSessionNotFound(backend.getSession.execute({ userId: alice, sessionId: sessionId() }));
    });

    it('not by renameSession', async () => {
      await expectSessionNotFound(backend.renameSession.execute({ userId: alice, sessionId: sessionId(), title: 'Back' }));
    });

    it('not by deleteSession a second time', async () => {
      await expectSessionNotFound(deleteIt());
    });

    it('not by sendMessage', async () => {
      await expectSessionNotFound(backend.sendMessage.execute({ userId: alice, sessionId: sessionId(), text: 'Hello?' }));
    });

    it('not by listMessages', async () => {
      await expectSessionNotFound(backend.listMessages.execute({ userId: alice, sessionId: sessionId() }));
    });

    it('not by scrollMessages', async () => {
      await expectSessionNotFound(backend.scrollMessages.execute({ userId: alice, sessionId: sessionId() }));
    });

    it('not by editMessage', async () => {
      await expectSessionNotFound(
        backend.editMessage.execute({ userId: alice, sessionId: sessionId(), messageId: message.id, text: 'Edited' }),
      );
    });

    it('not by deleteMessage', async () => {
      await expectSessionNotFound(
        backend.deleteMessage.execute({ userId: alice, sessionId: sessionId(), messageId: message.id }),
      );
    });

    it('not by clearMessages', async () => {
      await expectSessionNotFound(backend.clearMessages.execute({ userId: alice, sessionId: sessionId() }));
    });

    it('not in listSessions', async () => {
      expect((await backend.listSessions.execute({ userId: alice })).items).toEqual([]);
    });
  });

  it("leaves the owner's other sessions and their messages as they were", async () => {
    const other = await aSessionOf(backend, alice, 'Other');
    await sendMessages(backend, alice, other.id, ['other message']);
    const before = await everythingOf(backend, alice);

    await deleteIt();

    const after = await everythingOf(backend, alice);
    expect(after.sessions).toEqual(before.sessions.filter((each) => each.id !== session.id));
    expect(after.messages[other.id]).toEqual(before.messages[other.id]);
  });

  describe('events', () => {
    it('publishes session.deleted for the owner with the session id', async () => {
      await deleteIt();

      expect(backend.events.events).toEqual([{ type: 'session.deleted', userId: alice, sessionId: session.id }]);
    });

    it('when another user tries to delete the session, publishes nothing', async () => {
      await caught(deleteIt(bob));

      expect(backend.events.events).toEqual([]);
    });

    it('when the session is already deleted, deleting it again publishes nothing', async () => {
      await deleteIt();
      backend.events.clear();

      await caught(deleteIt());

      expect(backend.events.events).toEqual([]);
    });
  });

  describe('not found', () => {
    it('when another user deletes the session, it is not found and stays unchanged', async () => {
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(deleteIt(bob));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when no session has that id, it is not found', async () => {
      await expectSessionNotFound(backend.deleteSession.execute({ userId: alice, sessionId: session.id + 1000 }));
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(backend.deleteSession.execute({ userId: alice, sessionId }));
      expect((await everythingOf(backend, alice)).sessions).toHaveLength(1);
    });
  });
});
