import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  aSessionOf,
  expectMessageNotFound,
  expectSessionNotFound,
  expectValidationError,
  sendMessages,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

const textsOf = (messages: readonly MessageView[]): string[] => messages.map((message) => message.text);

describe('ReadThread', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
  });

  const reply = (text: string, parentId: number, sender: 'user' | 'assistant' = 'assistant') =>
    backend.sendMessage.execute({ userId: alice, sessionId: session.id, text, sender, parentId });
  const thread = (messageId: number, options: { beforeId?: number; limit?: number } = {}) =>
    backend.readThread.execute({ userId: alice, sessionId: session.id, messageId, ...options });

  it('when an answer is regenerated twice, each of the three answers has its own thread, and the list holds them all', async () => {
    const [hello, question] = await sendMessages(backend, alice, session.id, ['hello', 'question']);
    const first = await reply('answer 1', question!.id);
    const second = await reply('answer 2', question!.id);
    const third = await reply('answer 3', question!.id);
    const followUp = await reply('follow-up on 2', second.id, 'user');

    expect(await thread(first.id)).toEqual({ items: [hello, question, first], hasMore: false });
    expect(textsOf((await thread(third.id)).items)).toEqual(['hello', 'question', 'answer 3']);
    expect(textsOf((await thread(followUp.id)).items)).toEqual(['hello', 'question', 'answer 2', 'follow-up on 2']);
    const all = await backend.listMessages.execute({ userId: alice, sessionId: session.id });
    expect(all.items.map((message) => [message.text, message.parentId])).toEqual([
      ['hello', null],
      ['question', hello!.id],
      ['answer 1', question!.id],
      ['answer 2', question!.id],
      ['answer 3', question!.id],
      ['follow-up on 2', second.id],
    ]);
  });

  it('when a thread is longer than the limit, it comes in pages, nearest first, each oldest first, paged with the oldest id shown', async () => {
    const sent = await sendMessages(backend, alice, session.id, Array.from({ length: 7 }, (_, i) => `m${i + 1}`));
    const last = sent.at(-1)!;

    const page1 = await thread(last.id, { limit: 3 });
    const page2 = await thread(last.id, { limit: 3, beforeId: page1.items[0]!.id });
    const page3 = await thread(last.id, { limit: 3, beforeId: page2.items[0]!.id });

    expect([textsOf(page1.items), page1.hasMore]).toEqual([['m5', 'm6', 'm7'], true]);
    expect([textsOf(page2.items), page2.hasMore]).toEqual([['m2', 'm3', 'm4'], true]);
    expect([textsOf(page3.items), page3.hasMore]).toEqual([['m1'], false]);
  });

  it('when a message on the path is deleted, the thread passes over it', async () => {
    const [one, two, three] = await sendMessages(backend, alice, session.id, ['one', 'two', 'three']);
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: two!.id });

    expect(await thread(three!.id)).toEqual({ items: [one, three], hasMore: false });
  });

  it("when the message is another user's, deleted or unknown, it is not found; bad paging is refused", async () => {
    const [one, two] = await sendMessages(backend, alice, session.id, ['one', 'two']);
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: two!.id });

    await expectSessionNotFound(backend.readThread.execute({ userId: bob, sessionId: session.id, messageId: one!.id }));
    await expectMessageNotFound(thread(two!.id));
    await expectMessageNotFound(thread(two!.id + 1000));
    await expectValidationError(thread(one!.id, { limit: 0 }), ['limit: must be an integer from 1 to 200']);
    await expectValidationError(thread(one!.id, { beforeId: -1 }), ['before_id: must be a positive integer']);
  });
});
