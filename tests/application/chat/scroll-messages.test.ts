import { beforeEach, describe, expect, it } from 'vitest';
import type { ScrollMessagesInput } from '../../../src/application/chat/scroll-messages.use-case.js';
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

describe('ScrollMessages', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  /** Ten messages, oldest first; m[0] is the first, m[9] the latest. */
  let m: MessageView[];

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Long talk');
    // Another session's messages interleave with this one's ids; they must never show up here.
    const other = await aSessionOf(backend, alice, 'Other talk');
    m = [];
    for (const text of numberedTexts(10)) {
      m.push(...(await sendMessages(backend, alice, session.id, [text])));
      await sendMessages(backend, alice, other.id, [`elsewhere: ${text}`]);
    }
  });

  const scroll = (cursor: Omit<ScrollMessagesInput, 'userId' | 'sessionId'> = {}, userId = alice) =>
    backend.scrollMessages.execute({ userId, sessionId: session.id, ...cursor });

  describe('the latest messages', () => {
    it.each([
      ['absent', {}],
      ['null', { beforeId: null }],
      ['empty', { beforeId: '' }],
    ] as const)('when before_id is %s, returns the latest messages, oldest first', async (_label, cursor) => {
      expect(await scroll({ ...cursor, limit: 3 })).toEqual({ items: m.slice(7), hasMore: true });
    });

    it('by default returns up to 50 messages', async () => {
      expect(await scroll()).toEqual({ items: m, hasMore: false });
    });

    it('when the limit equals the number of messages, there is no more', async () => {
      expect(await scroll({ limit: 10 })).toEqual({ items: m, hasMore: false });
    });

    it('when the session has no messages, returns none and no more', async () => {
      const empty = await aSessionOf(backend, alice, 'Empty');

      expect(await backend.scrollMessages.execute({ userId: alice, sessionId: empty.id })).toEqual({
        items: [],
        hasMore: false,
      });
    });
  });

  describe('before a message', () => {
    it('returns the messages just before it, oldest first, and says more lie further back', async () => {
      expect(await scroll({ beforeId: m[7]!.id, limit: 3 })).toEqual({ items: m.slice(4, 7), hasMore: true });
    });

    it('when exactly the limit remains before it, returns them and says there is no more', async () => {
      expect(await scroll({ beforeId: m[3]!.id, limit: 3 })).toEqual({ items: m.slice(0, 3), hasMore: false });
    });

    it('when fewer than the limit remain, returns what there is and no more', async () => {
      expect(await scroll({ beforeId: m[2]!.id, limit: 5 })).toEqual({ items: m.slice(0, 2), hasMore: false });
    });

    it('when it is the first message, returns nothing and no more', async () => {
      expect(await scroll({ beforeId: m[0]!.id, limit: 5 })).toEqual({ items: [], hasMore: false });
    });

    it('accepts before_id and limit as strings of digits', async () => {
      expect(await scroll({ beforeId: String(m[5]!.id), limit: '2' })).toEqual({ items: m.slice(3, 5), hasMore: true });
    });
  });

  describe('after a message', () => {
    it('returns the messages just after it, oldest first, and says more lie further on', async () => {
      expect(await scroll({ afterId: m[2]!.id, limit: 3 })).toEqual({ items: m.slice(3, 6), hasMore: true });
    });

    it('when exactly the limit remains after it, returns them and says there is no more', async () => {
      expect(await scroll({ afterId: m[6]!.id, limit: 3 })).toEqual({ items: m.slice(7), hasMore: false });
    });

    it('when it is the latest message, returns nothing and no more', async () => {
      expect(await scroll({ afterId: m[9]!.id, limit: 5 })).toEqual({ items: [], hasMore: false });
    });

    it('accepts after_id as a string of digits', async () => {
      expect(await scroll({ afterId: String(m[8]!.id) })).toEqual({ items: [m[9]], hasMore: false });
    });
  });

  describe('deleted messages', () => {
    it('skips deleted messages, in the latest page and before or after a cursor', async () => {
      for (const index of [8, 5]) {
        await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: m[index]!.id });
      }

      expect(await scroll({ limit: 3 })).toEqual({ items: [m[6], m[7], m[9]], hasMore: true });
      expect(await scroll({ beforeId: m[7]!.id, limit: 2 })).toEqual({ items: [m[4], m[6]], hasMore: true });
      expect(await scroll({ afterId: m[4]!.id, limit: 3 })).toEqual({ items: [m[6], m[7], m[9]], hasMore: false });
    });

    it('still scrolls from a cursor that is itself a deleted message', async () => {
      await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: m[5]!.id });

      expect(await scroll({ beforeId: m[5]!.id, limit: 2 })).toEqual({ items: m.slice(3, 5), hasMore: true });
      expect(await scroll({ afterId: m[5]!.id, limit: 2 })).toEqual({ items: m.slice(6, 8), hasMore: true });
    });
  });

  describe('validation', () => {
    it('accepts limit 1 and limit 200', async () => {
      expect(await scroll({ limit: 1 })).toEqual({ items: [m[9]], hasMore: true });
      expect(await scroll({ limit: 200 })).toEqual({ items: m, hasMore: false });
    });

    it.each([0, 201, -1, 1.5, 'ten', ''])('refuses limit %j', async (limit) => {
      await expectValidationError(scroll({ limit }), ['limit: must be an integer from 1 to 200']);
    });

    it.each([0, -1, 1.5, 'abc'])('refuses before_id %j', async (beforeId) => {
      await expectValidationError(scroll({ beforeId }), ['before_id: must be a positive integer']);
    });

    it.each([0, -1, 1.5, 'abc', ''])('refuses after_id %j', async (afterId) => {
      await expectValidationError(scroll({ afterId }), ['after_id: must be a positive integer']);
    });

    it('refuses before_id and after_id together', async () => {
      await expectValidationError(scroll({ beforeId: m[8]!.id, afterId: m[2]!.id }), [
        'after_id: cannot be combined with before_id',
      ]);
    });
  });

  describe('not found', () => {
    it('when another user scrolls the session, it is not found and stays unchanged', async () => {
      const before = await everythingOf(backend, alice);

      await expectSessionNotFound(scroll({}, bob));
      await expectSessionNotFound(scroll({ afterId: m[0]!.id }, bob));

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the session was deleted, it is not found', async () => {
      await backend.deleteSession.execute({ userId: alice, sessionId: session.id });

      await expectSessionNotFound(scroll());
    });

    it.each(NOT_AN_ID)('when the session id is %j, it is not found rather than invalid', async (sessionId) => {
      await expectSessionNotFound(backend.scrollMessages.execute({ userId: alice, sessionId }));
    });
  });
});
