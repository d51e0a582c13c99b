import { beforeEach, describe, expect, it } from 'vitest';
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

describe('GetSession', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Long talk');
  });

  it('returns the session with the first page of its messages, oldest first, 50 to a page', async () => {
    const sent = await sendMessages(backend, alice, session.id, numberedTexts(51));

    const found = await backend.getSession.execute({ userId: alice, sessionId: session.id });

    expect(found.session).toEqual({
      ...session,
      messageCount: 51,
      lastMessageAt: sent[50]!.createdAt,
      updatedAt: sent[50]!.createdAt,
    });
    expect(found.messages.items).toEqual(sent.slice(0, 50));
    expect(found.messages.pagination).toEqual({ page: 1, perPage: 50, total: 51, pages: 2, hasNext: true, hasPrev: false });
  });

  it('when the session has no messages, returns it with an empty page', async () => {
    const found = await backend.getSession.execute({ userId: alice, sessionId: session.id });

    expect(found).toEqual({
      session,
      messages: { items: [], pagination: { page: 1, perPage: 50, total: 0, pages: 0, hasNext: false, hasPrev: false } },
    });
  });

  it('returns the page of messages asked for with page and per_page', async () => {
    const sent = await sendMessages(backend, alice, session.id, numberedTexts(5));

    const found = await backend.getSession.execute({ userId: alice, sessionId: session.id, page: 2, perPage: 2 });

    expect(found.messages.items).toEqual(sent.slice(2, 4));
    expect(found.messages.pagination).toEqual({ page: 2, perPage: 2, total: 5, pages: 3, hasNext: true, hasPrev: true });
  });

  it('accepts the session id, page and per_page as strings of digits', async () => {
    const sent = await sendMessages(backend, alice, session.id, numberedTexts(3));

    const found = await backend.getSession.execute({
      userId: alice,
      sessionId: String(session.id),
      page: '2',
      perPage: '2',
    });

    expect(found.session.id).toBe(session.id);
    expect(found.messages.items).toEqual(sent.slice(2));
  });

  it('accepts per_page 200, the largest', async () => {
    await sendMessages(backend, alice, session.id, numberedTexts(201));

    const found = await backend.getSession.execute({ userId: alice, sessionId: session.id, perPage: 200 });

    expect(found.messages.items).toHaveLength(200);
    expect(found.messages.pagination).toMatchObject({ perPage: 200, total: 201, pages: 2 });
  });

  it.each([0, 201, 'abc'])('refuses per_page %j', async (perPage) => {
    await expectValidationError(backend.getSession.execute({ userId: alice, sessionId: session.id, perPage }), [
      'per_page: must be an integer from 1 to 200',
    ]);
  });

  it.each([0, -2, 'x'])('refuses page %j', async (page) => {
    await expectValidationError(backend.getSession.execute({ userId: alice, sessionId: session.id, page }), [
      'page: must be a positive integer',
    ]);
  });

  it('leaves deleted messages out of the page and the total', async () => {
    const [first, second, third] = await sendMessages(backend, alice, session.id, ['a', 'b', 'c']);
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: second!.id });

    const found = await backend.getSession.execute({ userId: alice, sessionId: session.id });

    expect(found.messages.items).toEqual([first, third]);
    expect(found.messages.pagination.total).toBe(2);
    expect(found.session.messageCount).toBe(2);
  });

  describe('not found', () => {
    it('when another user asks for the session, it is not found and stays unchanged', async () => {
      await sendMessages(backend, alice, session.id, ['private']);
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(backend.getSession.execute({ userId: bob, sessionId: session.id }));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, it is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(backend.getSession.execute({ userId: alice, sessionId: session.id }));
    });

    it('when no session has that id, it is not found', async () => {
      await expectSessionNotFound(backend.getSession.execute({ userId: alice, sessionId: session.id + 1000 }));
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(backend.getSession.execute({ userId: alice, sessionId }));
    });
  });
});
