import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  aSessionOf,
  expectMessageNotFound,
  expectSessionNotFound,
  SECOND,
  sendMessages,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('ListRevisions', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
  });

  it('when a message is edited three times, it has three revisions, oldest first, each the text an edit replaced and when', async () => {
    const [message] = await sendMessages(backend, alice, session.id, ['first']);
    const editTimes: Date[] = [];
    for (const text of ['second', 'third', 'fourth']) {
      backend.clock.advance(SECOND);
      editTimes.push(backend.clock.now());
      await backend.editMessage.execute({ userId: alice, sessionId: session.id, messageId: message!.id, text });
    }

    const revisions = await backend.listRevisions.execute({ userId: alice, sessionId: session.id, messageId: message!.id });

    expect(revisions).toEqual([
      { text: 'first', createdAt: editTimes[0] },
      { text: 'second', createdAt: editTimes[1] },
      { text: 'third', createdAt: editTimes[2] },
    ]);
  });

  it('when a message was never edited, it has none and no edit time', async () => {
    const [message] = await sendMessages(backend, alice, session.id, ['first']);

    expect(await backend.listRevisions.execute({ userId: alice, sessionId: session.id, messageId: message!.id })).toEqual([]);
    expect(message!.editedAt).toBeNull();
  });

  it("when the message is another user's, deleted or unknown, it is not found", async () => {
    const [message] = await sendMessages(backend, alice, session.id, ['first']);
    await backend.editMessage.execute({ userId: alice, sessionId: session.id, messageId: message!.id, text: 'edited' });

    await expectSessionNotFound(backend.listRevisions.execute({ userId: bob, sessionId: session.id, messageId: message!.id }));
    await expectMessageNotFound(backend.listRevisions.execute({ userId: alice, sessionId: session.id, messageId: message!.id + 1 }));
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: message!.id });
    await expectMessageNotFound(backend.listRevisions.execute({ userId: alice, sessionId: session.id, messageId: message!.id }));
  });
});
