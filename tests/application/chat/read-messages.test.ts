import { beforeEach, describe, expect, it } from 'vitest';
import type { ReadMessagesInput } from '../../../src/application/chat/read-messages.use-case.js';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import { aSessionOf, expectSessionNotFound, expectValidationError, numberedTexts, sendMessages, twoUsers, type Backend } from '../../support/chat-fixtures.js';

describe('ReadMessages', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  let m: MessageView[];

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Either way');
    m = await sendMessages(backend, alice, session.id, numberedTexts(5));
  });

  const read = (query: Omit<ReadMessagesInput, 'userId' | 'sessionId'>, userId = alice) =>
    backend.readMessages.execute({ userId, sessionId: session.id, ...query });

  it('with no cursor and no limit, answers a page by position', async () => {
    const result = await read({ page: 1, perPage: 2 });
    expect(result).toEqual({ mode: 'page', page: { items: m.slice(0, 2), pagination: expect.objectContaining({ page: 1, perPage: 2, total: 5 }) } });
    expect(await read({})).toMatchObject({ mode: 'page', page: { items: m } });
  });

  it.each([
    ['an empty beforeId (the latest)', () => ({ beforeId: '', limit: 2 }), () => m.slice(3), true],
    ['a beforeId', () => ({ beforeId: m[3]?.id, limit: 2 }), () => m.slice(1, 3), true],
    ['an afterId', () => ({ afterId: m[0]?.id }), () => m.slice(1), false],
    ['a limit alone', () => ({ limit: 3 }), () => m.slice(2), true],
  ] as const)('with %s, answers a keyset slice', async (_case, query, expected, hasMore) => {
    expect(await read(query())).toEqual({ mode: 'keyset', slice: { items: expected(), hasMore } });
  });

  it.each([
    { page: 1, limit: 2 },
    { perPage: 10, beforeId: '' },
    { page: 2, afterId: 1 },
  ])('refuses a page and a keyset slice asked at once (%j)', async (query) => {
    await expectValidationError(read(query), ['page: cannot be combined with before_id, after_id or limit']);
  });

  it("answers session_not_found for another user's session, in either mode", async () => {
    await expectSessionNotFound(read({}, bob));
    await expectSessionNotFound(read({ limit: 2 }, bob));
  });
});
