import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatSession } from '../../src/domain/chat-session.entity.js';
import { aMessage, aSession, at, DAY, HOUR, MINUTE, sessionState } from '../support/builders.js';
import { DROP_TABLE, EMOJI_TEXT, idsOf, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What every ChatSessionRepository must do, observed only through the port: sessions get rising ids,
 * are found only by their owner while active, keep titles whole (emoji, quotes, SQL), are listed most
 * recently active first with their total, and a session locked by two transactions at once loses
 * neither update. It runs unchanged against memory, SQLite and MySQL, so it assumes nothing about
 * timing or id values, only their order.
 */
export function describeChatSessionRepositoryContract(target: RepositoryTarget): void {
  describe(`ChatSessionRepository contract: ${target.name}`, () => {
    const { users, sessions, messages, transactions, givenUser, givenSession } = useRepositoryStorage(target);

    const expectedSessionView = (session: ChatSession) => ({
      id: session.id,
      title: session.title,
      messageCount: session.messageCount,
      lastMessageAt: session.lastMessageAt,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
    });

    it('when sessions are added, each gets a positive integer id greater than the one before', async () => {
      const owner = await givenUser();
      const added = [await givenSession(owner), await givenSession(await givenUser()), await givenSession(owner)];

      for (const session of added) expect(Number.isSafeInteger(session.id) && session.id > 0).toBe(true);
      const ids = idsOf(added);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(3);
    });

    it('when a session is added, its owner finds it with every field as it was stored', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner, {
        title: `${'t'.repeat(200)}${EMOJI_TEXT}`,
        messageCount: 7,
        lastMessageAt: at(HOUR + 999),
        createdAt: at(1),
        updatedAt: at(HOUR + 999),
      });

      const found = await sessions.findOwned(session.id, owner.id);

      expect(found).toBeInstanceOf(ChatSession);
      expect(sessionState(must(found))).toEqual(sessionState(session));
    });

    it('when a title has 255 characters of emoji, it is stored whole', async () => {
      const owner = await givenUser();
      const title = '🚀'.repeat(255);
      const session = await givenSession(owner, { title });

      expect(must(await sessions.findViewOwned(session.id, owner.id)).title).toBe(title);
    });

    it("when a title holds quotes and SQL, it is stored as written", async () => {
      const owner = await givenUser();
      const session = await givenSession(owner, { title: DROP_TABLE });

      expect(must(await sessions.findOwned(session.id, owner.id)).title).toBe(DROP_TABLE);
      expect(await users.findById(owner.id)).not.toBeNull();
    });

    it('when asked for inside a transaction with a lock, the owner still gets the session', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);

      const found = await transactions.run(() => sessions.findOwned(session.id, owner.id, { lock: true }));

      expect(found?.id).toBe(session.id);
    });

    it("when locked for a send, the owner's session answers with its last message's id (null before the first)", async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);

      expect(await transactions.run(() => sessions.lockOwned(session.id, owner.id))).toEqual({ lastMessageId: null });
      const first = aMessage({ sessionId: session.id });
      await messages.add(first);
      const second = aMessage({ sessionId: session.id });
      await messages.add(second);

      expect(await transactions.run(() => sessions.lockOwned(session.id, owner.id))).toEqual({ lastMessageId: second.id });
      expect(await sessions.lockOwned(session.id, owner.id)).toEqual({ lastMessageId: second.id });
    });

    it('when two sends lock one session at once, the second reads the last message id the first wrote', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const send = () =>
        transactions.run(async () => {
          const locked = must(await sessions.lockOwned(session.id, owner.id));
          const message = aMessage({ sessionId: session.id });
          await messages.add(message);
          return { parent: locked.lastMessageId, id: message.id };
        });

      const [a, b] = await Promise.all([send(), send()]);

      // Whichever went first, the other saw it: no two sends answer the same parent.
      const [earlier, later] = a.id < b.id ? [a, b] : [b, a];
      expect(earlier.parent).toBeNull();
      expect(later.parent).toBe(earlier.id);
    });

    it('when the session belongs to someone else, is deleted or does not exist, it is not found', async () => {
      const owner = await givenUser();
      const stranger = await givenUser();
      const session = await givenSession(owner);
      const deleted = await givenSession(owner, { isActive: false });
      const unknownId = deleted.id + 1000;

      for (const [id, ownerId] of [
        [session.id, stranger.id],
        [deleted.id, owner.id],
        [unknownId, owner.id],
      ] as const) {
        expect(await sessions.findOwned(id, ownerId)).toBeNull();
        expect(await sessions.findOwned(id, ownerId, { lock: true })).toBeNull();
        expect(await transactions.run(() => sessions.lockOwned(id, ownerId))).toBeNull();
        expect(await sessions.findViewOwned(id, ownerId)).toBeNull();
      }
    });

    it('when a session is soft-deleted and saved, it is gone for its owner everywhere', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      await givenSession(owner);

      session.delete(at(DAY));
      await sessions.save(session);

      expect(await sessions.findOwned(session.id, owner.id)).toBeNull();
      expect(await sessions.findViewOwned(session.id, owner.id)).toBeNull();
      const list = await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 10 });
      expect(list.total).toBe(1);
      expect(idsOf(list.items)).not.toContain(session.id);
    });

    it('when a session view is read, it is a plain object of the stored fields', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner, { messageCount: 3, lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
      const empty = await givenSession(owner);

      expect(await sessions.findViewOwned(session.id, owner.id)).toStrictEqual(expectedSessionView(session));
      expect(await sessions.findViewOwned(empty.id, owner.id)).toStrictEqual(expectedSessionView(empty));
      expect(must(await sessions.findViewOwned(empty.id, owner.id)).lastMessageAt).toBeNull();
    });

    it('when a session is renamed, saving stores the new title and time', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner, { messageCount: 2, lastMessageAt: at(HOUR), updatedAt: at(HOUR) });

      session.rename('Renamed', at(DAY));
      await sessions.save(session);

      expect(sessionState(must(await sessions.findOwned(session.id, owner.id)))).toEqual(sessionState(session));
      expect(await sessions.findViewOwned(session.id, owner.id)).toMatchObject({
        title: 'Renamed',
        messageCount: 2,
        lastMessageAt: at(HOUR),
        updatedAt: at(DAY),
      });
    });

    it('when a session entity is changed without saving, the stored session is unchanged', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner, { title: 'Original', lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
      const stored = structuredClone(sessionState(session));

      session.createdAt.setTime(0);
      must(session.lastMessageAt).setTime(0);
      session.rename('Changed after add', at(DAY));
      const found = must(await sessions.findOwned(session.id, owner.id));
      found.createdAt.setTime(0);
      found.updatedAt.setTime(0);
      found.rename('Changed after find', at(DAY));
      const view = must(await sessions.findViewOwned(session.id, owner.id));
      view.createdAt.setTime(0);
      view.updatedAt.setTime(0);
      must(view.lastMessageAt).setTime(0);
      const listed = must((await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 10 })).items[0]);
      listed.createdAt.setTime(0);
      listed.updatedAt.setTime(0);

      expect(sessionState(must(await sessions.findOwned(session.id, owner.id)))).toEqual(stored);
    });

    it('when a session is added for a user that does not exist, it is refused', async () => {
      await expect(sessions.add(aSession({ userId: randomUUID() }))).rejects.toThrow();
    });

    it('when two transactions update one locked session at once, neither update is lost', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner, { title: 'Plans' });
      // Read, then write what was read, with a message insert between: only the lock keeps the
      // second writer from reading before the first has written.
      const append = (suffix: string, now: Date) =>
        transactions.run(async () => {
          const locked = must(await sessions.findOwned(session.id, owner.id, { lock: true }));
          await messages.add(aMessage({ sessionId: session.id, createdAt: now, updatedAt: now }));
          locked.rename(`${locked.title} ${suffix}`, now);
          await sessions.save(locked);
        });

      await Promise.all([append('one', at(DAY)), append('two', at(DAY + 1))]);

      const stored = must(await sessions.findViewOwned(session.id, owner.id));
      expect(['Plans one two', 'Plans two one']).toContain(stored.title);
      expect(stored.messageCount).toBe(2);
    });

    describe('listing the sessions of an owner', () => {
      it('when listed, only the owner\'s active sessions come, most recently active first, ties by newest id', async () => {
        const owner = await givenUser();
        const stranger = await givenUser();
        const old = await givenSession(owner, { updatedAt: at(1 * HOUR) });
        const tiedFirst = await givenSession(owner, { updatedAt: at(2 * HOUR) });
        const tiedSecond = await givenSession(owner, { updatedAt: at(2 * HOUR) });
        const recent = await givenSession(owner, { createdAt: at(0), updatedAt: at(3 * HOUR) });
        await givenSession(owner, { isActive: false, updatedAt: at(4 * HOUR) });
        await givenSession(stranger, { updatedAt: at(5 * HOUR) });

        const list = await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 20 });

        expect(idsOf(list.items)).toEqual([recent.id, tiedSecond.id, tiedFirst.id, old.id]);
        expect(list.total).toBe(4);
        expect(list.items[0]).toStrictEqual(expectedSessionView(recent));
      });

      it('when the owner has no sessions, the list is empty with a total of zero', async () => {
        const owner = await givenUser();

        expect(await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 20 })).toEqual({ items: [], total: 0 });
      });

      it('when paged, pages follow one another without overlap, the last one partial, past the end empty', async () => {
        const owner = await givenUser();
        const added: ChatSession[] = [];
        for (let i = 0; i < 5; i += 1) added.push(await givenSession(owner, { updatedAt: at(i * MINUTE) }));
        const newestFirst = idsOf(added).reverse();

        const pages = await Promise.all(
          [0, 2, 4, 6].map((offset) => sessions.listViewsOfOwner(owner.id, { offset, limit: 2 })),
        );

        expect(pages.map((page) => idsOf(page.items))).toEqual([
          newestFirst.slice(0, 2),
          newestFirst.slice(2, 4),
          newestFirst.slice(4, 5),
          [],
        ]);
        for (const page of pages) expect(page.total).toBe(5);
      });

      it('when the count is an exact multiple of the page size, the last page is full and the next one empty', async () => {
        const owner = await givenUser();
        for (let i = 0; i < 4; i += 1) await givenSession(owner, { updatedAt: at(i * MINUTE) });

        const last = await sessions.listViewsOfOwner(owner.id, { offset: 2, limit: 2 });
        const beyond = await sessions.listViewsOfOwner(owner.id, { offset: 4, limit: 2 });

        expect(last.items).toHaveLength(2);
        expect(beyond).toEqual({ items: [], total: 4 });
      });
    });
  });
}
