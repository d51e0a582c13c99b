import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/application/views/session.view.js';
import {
  SECOND,
  aSessionOf,
  expectValidationError,
  sendMessages,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

describe('ListSessions', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
  });

  /** Creates `count` sessions one second apart; the last one created is the most recent. */
  const createSessions = async (userId: string, count: number): Promise<SessionView[]> => {
    const created: SessionView[] = [];
    for (let n = 1; n <= count; n += 1) {
      backend.clock.advance(SECOND);
      created.push(await aSessionOf(backend, userId, `Chat ${n}`));
    }
    return created;
  };

  const idsOf = (sessions: readonly SessionView[]): number[] => sessions.map((session) => session.id);

  describe('what is listed', () => {
    it('when the user has no sessions, the list is empty with total 0 and 0 pages', async () => {
      const found = await backend.listSessions.execute({ userId: alice });

      expect(found).toEqual({
        items: [],
        pagination: { page: 1, perPage: 20, total: 0, pages: 0, hasNext: false, hasPrev: false },
      });
    });

    it("lists only the caller's own sessions", async () => {
      const mine = await createSessions(alice, 2);
      await createSessions(bob, 3);

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual(idsOf(mine).reverse());
      expect(found.pagination.total).toBe(2);
    });

    it('when another user lists sessions, they see none of the first user\'s', async () => {
      await createSessions(alice, 2);

      const found = await backend.listSessions.execute({ userId: bob });

      expect(found.items).toEqual([]);
      expect(found.pagination.total).toBe(0);
    });

    it('leaves deleted sessions out of the items and the total', async () => {
      const [first, second, third] = await createSessions(alice, 3);
      await backend.deleteSession.execute({ userId: alice, sessionId: second!.id });

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual([third!.id, first!.id]);
      expect(found.pagination.total).toBe(2);
    });

    it('shows each session as getSession does, counts and last message time included', async () => {
      const [session] = await createSessions(alice, 1);
      await sendMessages(backend, alice, session!.id, ['one', 'two']);

      const found = await backend.listSessions.execute({ userId: alice });

      expect(found.items).toEqual([await sessionOf(backend, alice, session!.id)]);
      expect(found.items[0]).toMatchObject({ messageCount: 2, lastMessageAt: backend.clock.now() });
    });
  });

  describe('order', () => {
    it('lists the most recently created session first when none has changed since', async () => {
      const [first, second, third] = await createSessions(alice, 3);

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual([third!.id, second!.id, first!.id]);
    });

    it('when a message is sent to an older session, that session moves to the top', async () => {
      const [first, second, third] = await createSessions(alice, 3);
      await sendMessages(backend, alice, first!.id, ['back to this one']);

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual([first!.id, third!.id, second!.id]);
    });

    it('when an older session is renamed, that session moves to the top', async () => {
      const [first, second, third] = await createSessions(alice, 3);
      backend.clock.advance(SECOND);
      await backend.renameSession.execute({ userId: alice, sessionId: second!.id, title: 'Renamed' });

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual([second!.id, third!.id, first!.id]);
    });

    it('when sessions were last active at the same instant, the larger id comes first', async () => {
      const first = await aSessionOf(backend, alice, 'Same time 1');
      const second = await aSessionOf(backend, alice, 'Same time 2');
      const third = await aSessionOf(backend, alice, 'Same time 3');

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual([third.id, second.id, first.id]);
    });

    it('pages never overlap or skip a session when activity times tie', async () => {
      const created = await Promise.all([1, 2, 3, 4, 5].map((n) => aSessionOf(backend, alice, `Tie ${n}`)));

      const pages = await Promise.all(
        [1, 2, 3].map((page) => backend.listSessions.execute({ userId: alice, page, perPage: 2 })),
      );

      const listed = pages.flatMap((found) => idsOf(found.items));
      expect(listed).toEqual(idsOf(created).sort((a, b) => b - a));
    });
  });

  describe('pagination', () => {
    it('by default shows page 1 of 20 sessions', async () => {
      const created = await createSessions(alice, 21);

      const found = await backend.listSessions.execute({ userId: alice });

      expect(idsOf(found.items)).toEqual(idsOf(created.slice(1)).reverse());
      expect(found.pagination).toEqual({ page: 1, perPage: 20, total: 21, pages: 2, hasNext: true, hasPrev: false });
    });

    it('when the total is an exact multiple of per_page, the last page is full and has no next', async () => {
      const created = await createSessions(alice, 4);

      const found = await backend.listSessions.execute({ userId: alice, page: 2, perPage: 2 });

      expect(idsOf(found.items)).toEqual([created[1]!.id, created[0]!.id]);
      expect(found.pagination).toEqual({ page: 2, perPage: 2, total: 4, pages: 2, hasNext: false, hasPrev: true });
    });

    it('when the total is not a multiple of per_page, the last page holds the rest', async () => {
      const created = await createSessions(alice, 5);

      const found = await backend.listSessions.execute({ userId: alice, page: 3, perPage: 2 });

      expect(idsOf(found.items)).toEqual([created[0]!.id]);
      expect(found.pagination).toEqual({ page: 3, perPage: 2, total: 5, pages: 3, hasNext: false, hasPrev: true });
    });

    it('a middle page has both a next and a previous page', async () => {
      const created = await createSessions(alice, 5);

      const found = await backend.listSessions.execute({ userId: alice, page: 2, perPage: 2 });

      expect(idsOf(found.items)).toEqual([created[2]!.id, created[1]!.id]);
      expect(found.pagination).toEqual({ page: 2, perPage: 2, total: 5, pages: 3, hasNext: true, hasPrev: true });
    });

    it('when the page is past the end, the items are empty and the totals still tell the truth', async () => {
      await createSessions(alice, 5);

      const found = await backend.listSessions.execute({ userId: alice, page: 4, perPage: 2 });

      expect(found).toEqual({
        items: [],
        pagination: { page: 4, perPage: 2, total: 5, pages: 3, hasNext: false, hasPrev: true },
      });
    });

    it('accepts per_page 1, the smallest', async () => {
      const created = await createSessions(alice, 2);

      const found = await backend.listSessions.execute({ userId: alice, perPage: 1 });

      expect(idsOf(found.items)).toEqual([created[1]!.id]);
      expect(found.pagination).toMatchObject({ perPage: 1, total: 2, pages: 2, hasNext: true });
    });

    it('accepts per_page 100, the largest', async () => {
      await createSessions(alice, 101);

      const found = await backend.listSessions.execute({ userId: alice, perPage: 100 });

      expect(found.items).toHaveLength(100);
      expect(found.pagination).toMatchObject({ perPage: 100, total: 101, pages: 2, hasNext: true });
    });

    it('accepts page and per_page written as strings of digits, as a query string carries them', async () => {
      const created = await createSessions(alice, 3);

      const found = await backend.listSessions.execute({ userId: alice, page: '2', perPage: '2' });

      expect(idsOf(found.items)).toEqual([created[0]!.id]);
      expect(found.pagination).toEqual({ page: 2, perPage: 2, total: 3, pages: 2, hasNext: false, hasPrev: true });
    });

    it.each([0, 101, -1, 1.5, 'abc', '', '1.5', null])('refuses per_page %j', async (perPage) => {
      await expectValidationError(
        backend.listSessions.execute({ userId: alice, perPage: perPage as number | string }),
        ['per_page: must be an integer from 1 to 100'],
      );
    });

    it.each([0, -1, 1.5, 'abc', '', '0', null])('refuses page %j', async (page) => {
      await expectValidationError(backend.listSessions.execute({ userId: alice, page: page as number | string }), [
        'page: must be a positive integer',
      ]);
    });

    it('refuses a page past a million, saying where the limit is', async () => {
      await expectValidationError(backend.listSessions.execute({ userId: alice, page: 1_000_001 }), [
        'page: must be at most 1000000',
      ]);
    });

    it('when both page and per_page are wrong, both are reported', async () => {
      await expectValidationError(backend.listSessions.execute({ userId: alice, page: 0, perPage: 0 }), [
        'page: must be a positive integer',
        'per_page: must be an integer from 1 to 100',
      ]);
    });
  });
});
