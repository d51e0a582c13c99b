import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  NOT_AN_ID,
  aSessionOf,
  everythingOf,
  expectSessionNotFound,
  expectValidationError,
  numberedTexts,
  sendMessages,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('ListMessages', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
  });

  const list = (options: { page?: number | string; perPage?: number | string } = {}, userId = alice) =>
    backend.listMessages.execute({ userId, sessionId: session.id, ...options });

  const idsOf = (messages: readonly MessageView[]): number[] => messages.map((message) => message.id);

  it('when the session has no messages, the list is empty with total 0 and 0 pages', async () => {
    expect(await list()).toEqual({
      items: [],
      pagination: { page: 1, perPage: 50, total: 0, pages: 0, hasNext: false, hasPrev: false },
    });
  });

  it('lists the messages oldest first, 50 to a page by default', async () => {
    const sent = await sendMessages(backend, alice, session.id, numberedTexts(51));

    const found = await list();

    expect(found.items).toEqual(sent.slice(0, 50));
    expect(found.pagination).toEqual({ page: 1, perPage: 50, total: 51, pages: 2, hasNext: true, hasPrev: false });
  });

  it('lists only the messages of that session', async () => {
    const other = await aSessionOf(backend, alice, 'Other');
    const mine = await sendMessages(backend, alice, session.id, ['here 1']);
    await sendMessages(backend, alice, other.id, ['there 1']);
    mine.push(...(await sendMessages(backend, alice, session.id, ['here 2'])));

    expect((await list()).items).toEqual(mine);
  });

  it('leaves deleted messages out of the items and the total', async () => {
    const [first, second, third] = await sendMessages(backend, alice, session.id, ['a', 'b', 'c']);
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: second!.id });

    const found = await list();

    expect(idsOf(found.items)).toEqual([first!.id, third!.id]);
    expect(found.pagination.total).toBe(2);
  });

  describe('pagination', () => {
    let sent: MessageView[];

    beforeEach(async () => {
      sent = await sendMessages(backend, alice, session.id, numberedTexts(5));
    });

    it('when the total is an exact multiple of per_page, the last page is full and has no next', async () => {
      const found = await list({ page: 5, perPage: 1 });

      expect(found.items).toEqual([sent[4]]);
      expect(found.pagination).toEqual({ page: 5, perPage: 1, total: 5, pages: 5, hasNext: false, hasPrev: true });
    });

    it('when the total is not a multiple of per_page, the last page holds the rest', async () => {
      const found = await list({ page: 2, perPage: 3 });

      expect(found.items).toEqual(sent.slice(3));
      expect(found.pagination).toEqual({ page: 2, perPage: 3, total: 5, pages: 2, hasNext: false, hasPrev: true });
    });

    it('a middle page has both a next and a previous page', async () => {
      const found = await list({ page: 2, perPage: 2 });

      expect(found.items).toEqual(sent.slice(2, 4));
      expect(found.pagination).toEqual({ page: 2, perPage: 2, total: 5, pages: 3, hasNext: true, hasPrev: true });
    });

    it('when the page is past the end, the items are empty and the totals still tell the truth', async () => {
      expect(await list({ page: 9, perPage: 2 })).toEqual({
        items: [],
        pagination: { page: 9, perPage: 2, total: 5, pages: 3, hasNext: false, hasPrev: true },
      });
    });

    it('accepts page and per_page written as strings of digits', async () => {
      const found = await list({ page: '2', perPage: '4' });

      expect(found.items).toEqual(sent.slice(4));
      expect(found.pagination).toMatchObject({ page: 2, perPage: 4 });
    });

    it.each([0, 201, -1, 2.5, 'many', ''])('refuses per_page %j', async (perPage) => {
      await expectValidationError(list({ perPage }), ['per_page: must be an integer from 1 to 200']);
    });

    it.each([0, -1, 2.5, 'first', ''])('refuses page %j', async (page) => {
      await expectValidationError(list({ page }), ['page: must be a positive integer']);
    });
  });

  it('accepts per_page 200, the largest', async () => {
    const sent = await sendMessages(backend, alice, session.id, numberedTexts(201));

    const found = await list({ perPage: 200 });

    expect(found.items).toEqual(sent.slice(0, 200));
    expect(found.pagination).toEqual({ page: 1, perPage: 200, total: 201, pages: 2, hasNext: true, hasPrev: false });
  });

  describe('not found', () => {
    it('when another user lists the messages, the session is not found and stays unchanged', async () => {
      await sendMessages(backend, alice, session.id, ['private']);
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(list({}, bob));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, it is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(list());
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(backend.listMessages.execute({ userId: alice, sessionId }));
    });
  });
});
