import { describe, expect, it } from 'vitest';
import type { ChatSession } from '../../src/domain/chat-session.entity.js';
import { Message } from '../../src/domain/message.entity.js';
import { aMessage, at, DAY, HOUR, messageState, MINUTE, SECOND } from '../support/builders.js';
import { DROP_TABLE, EMOJI_TEXT, idsOf, INJECTION_TEXT, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What every MessageRepository must do, observed only through the port: messages get ids rising
 * across sessions, text comes back exactly as written, a page by position and a slice by id show
 * only the session's live messages, oldest first, the page totalled by the session's count and the
 * slice telling whether more remain, and clearing a session counts only the messages that were live.
 * It runs unchanged against memory, SQLite and MySQL, so it assumes nothing about timing or id
 * values, only their order.
 */
export function describeMessageRepositoryContract(target: RepositoryTarget): void {
  describe(`MessageRepository contract: ${target.name}`, () => {
    const {
      users,
      sessions,
      messages,
      givenUser,
      givenSession,
      givenMessages,
      addMessage,
      deleteMessage,
      clearMessages,
    } = useRepositoryStorage(target);

    /** The total of a page is the stored session's message count. */
    const expectTotalIsMessageCount = async (
      page: { readonly total: number } | null,
      session: ChatSession,
    ): Promise<void> => {
      const stored = must(await sessions.findViewOwned(session.id, session.userId));
      expect(must(page).total).toBe(stored.messageCount);
      expect(stored.messageCount).toBe(session.messageCount);
    };

    const expectedMessageView = (message: Message) => ({
      id: message.id,
      sessionId: message.sessionId,
      text: message.text,
      sender: message.sender,
      createdAt: message.createdAt,
      updatedAt: message.updatedAt,
    });

    it('when messages are added, each gets a positive integer id greater than every id before it, across sessions', async () => {
      const owner = await givenUser();
      const first = await givenSession(owner);
      const second = await givenSession(await givenUser());
      const added: Message[] = [];
      for (const session of [first, second, first, second, first]) {
        const message = aMessage({ sessionId: session.id });
        await addMessage(session, message);
        added.push(message);
      }

      for (const message of added) expect(Number.isSafeInteger(message.id) && message.id > 0).toBe(true);
      const ids = idsOf(added);
      for (let i = 1; i < ids.length; i += 1) expect(must(ids[i])).toBeGreaterThan(must(ids[i - 1]));
    });

    it('when a message is added, it is found in its session with every field as it was stored', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const message = aMessage({ sessionId: session.id, text: EMOJI_TEXT, sender: 'assistant', createdAt: at(HOUR + 1), updatedAt: at(HOUR + 2) });
      await addMessage(session, message);

      const found = await messages.findInSession(message.id, session.id);

      expect(found).toBeInstanceOf(Message);
      expect(messageState(must(found))).toEqual(messageState(message));
    });

    it('when text holds emoji, quotes, SQL, newlines and 5000 characters, it comes back exactly as written', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const texts = [
        EMOJI_TEXT,
        DROP_TABLE,
        INJECTION_TEXT,
        'line one\nline two\ttabbed',
        '<script>alert("x")</script>',
        '😀'.repeat(5000),
        'x'.repeat(5000),
      ];
      const added: Message[] = [];
      for (const text of texts) {
        const message = aMessage({ sessionId: session.id, text });
        await addMessage(session, message);
        added.push(message);
      }

      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));

      expect(page.items.map((item) => item.text)).toEqual(texts);
      await expectTotalIsMessageCount(page, session);
      for (const message of added) expect(must(await messages.findInSession(message.id, session.id)).text).toBe(message.text);
      expect(await users.findById(owner.id)).not.toBeNull();
    });

    it('when messages come from each sender, each sender is stored', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      for (const sender of ['user', 'assistant', 'system'] as const) await addMessage(session, aMessage({ sessionId: session.id, sender }));

      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));

      expect(page.items.map((item) => item.sender)).toEqual(['user', 'assistant', 'system']);
    });

    it('when a message is looked up in another session, deleted or unknown, it is not found', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const elsewhere = await givenSession(owner);
      const [kept, deleted] = await givenMessages(session, 2);
      await deleteMessage(session, must(deleted), at(DAY));

      expect(await messages.findInSession(must(kept).id, elsewhere.id)).toBeNull();
      expect(await messages.findInSession(must(deleted).id, session.id)).toBeNull();
      expect(await messages.findInSession(must(deleted).id + 1000, session.id)).toBeNull();
      expect(await messages.findInSession(must(kept).id, session.id)).not.toBeNull();
    });

    it('when a message is edited and saved, the new text and time are stored', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const [message] = await givenMessages(session, 1);

      must(message).edit('edited ✏️', at(DAY));
      await messages.save(must(message));

      const found = must(await messages.findInSession(must(message).id, session.id));
      expect(messageState(found)).toEqual(messageState(must(message)));
      expect(found.updatedAt.getTime()).toBe(at(DAY).getTime());
    });

    it('when a message entity is changed without saving, the stored message is unchanged', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const message = aMessage({ sessionId: session.id, text: 'original' });
      await addMessage(session, message);
      const stored = structuredClone(messageState(message));

      message.edit('changed after add', at(DAY));
      message.createdAt.setTime(0);
      const found = must(await messages.findInSession(message.id, session.id));
      found.createdAt.setTime(0);
      found.updatedAt.setTime(0);
      found.delete(at(DAY));
      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));
      must(page.items[0]).createdAt.setTime(0);
      must(page.items[0]).updatedAt.setTime(0);
      const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 }));
      must(slice.items[0]).createdAt.setTime(0);
      must((await messages.latestSentAt(session.id))).setTime(0);

      expect(messageState(must(await messages.findInSession(message.id, session.id)))).toEqual(stored);
    });

    it('when a message is added to a session that does not exist, it is refused', async () => {
      await expect(messages.add(aMessage({ sessionId: 987_654_321 }))).rejects.toThrow();
    });

    describe('a page of a session by position', () => {
      it('when read, only the session\'s live messages come, oldest first, as plain views, with their total', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const first = await givenMessages(session, 2, HOUR);
        await givenMessages(other, 2, 2 * HOUR);
        const second = await givenMessages(session, 2, 3 * HOUR);
        await deleteMessage(session, must(second[0]), at(DAY));
        const live = [...first, must(second[1])];

        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));

        expect(page.total).toBe(3);
        await expectTotalIsMessageCount(page, session);
        expect(page.items).toStrictEqual(live.map(expectedMessageView));
      });

      it('when paged, pages follow one another, the last one partial, past the end empty, all with the same total', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const ids = idsOf(await givenMessages(session, 5));

        const pages = await Promise.all(
          [0, 2, 4, 6].map((offset) => messages.pageOfSession(session.id, owner.id, { offset, limit: 2 })),
        );

        expect(pages.map((page) => idsOf(must(page).items))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4), []]);
        for (const page of pages) {
          expect(must(page).total).toBe(5);
          await expectTotalIsMessageCount(page, session);
        }
      });

      it('when the count is an exact multiple of the page size, the last page is full and the next one empty', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const ids = idsOf(await givenMessages(session, 4));

        expect(idsOf(must(await messages.pageOfSession(session.id, owner.id, { offset: 2, limit: 2 })).items)).toEqual(ids.slice(2));
        expect(await messages.pageOfSession(session.id, owner.id, { offset: 4, limit: 2 })).toEqual({ items: [], total: 4 });
      });

      it('when the session has no messages, the page is empty with a total of zero', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);

        const page = await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 });
        expect(page).toEqual({ items: [], total: 0 });
        await expectTotalIsMessageCount(page, session);
      });

      it('when the total is read, it is the session\'s stored message count, not a count of rows', async () => {
        const owner = await givenUser();
        // Stored directly, not through the helpers: a count the use cases would never leave, so
        // the total shows where it comes from.
        const session = await givenSession(owner, { messageCount: 7, lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
        for (const message of [aMessage({ sessionId: session.id }), aMessage({ sessionId: session.id })]) await messages.add(message);

        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));

        expect(page.items).toHaveLength(2);
        expect(page.total).toBe(7);
        await expectTotalIsMessageCount(page, session);
      });

      it('when the session belongs to someone else, is deleted or does not exist, there is no page', async () => {
        const owner = await givenUser();
        const stranger = await givenUser();
        const session = await givenSession(owner);
        await givenMessages(session, 2);
        const deleted = await givenSession(owner);
        await givenMessages(deleted, 2);
        deleted.delete(at(DAY));
        await sessions.save(deleted);

        expect(await messages.pageOfSession(session.id, stranger.id, { offset: 0, limit: 50 })).toBeNull();
        expect(await messages.pageOfSession(deleted.id, owner.id, { offset: 0, limit: 50 })).toBeNull();
        expect(await messages.pageOfSession(deleted.id + 1000, owner.id, { offset: 0, limit: 50 })).toBeNull();
      });
    });

    describe('a slice of a session by id', () => {
      /** Five messages in the session, with messages of another session between them. */
      const givenFiveInterleaved = async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const ids: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          ids.push(...idsOf(await givenMessages(session, 1, HOUR + i * MINUTE)));
          await givenMessages(other, 1, HOUR + i * MINUTE + SECOND);
        }
        const [m1, m2, m3, m4, m5] = ids;
        return { owner, session, ids, m1: must(m1), m2: must(m2), m3: must(m3), m4: must(m4), m5: must(m5) };
      };

      it('when no cursor is given, the latest messages come, oldest first, with more before them', async () => {
        const { owner, session, m3, m4, m5 } = await givenFiveInterleaved();

        const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 3 }));

        expect(idsOf(slice.items)).toEqual([m3, m4, m5]);
        expect(slice.hasMore).toBe(true);
      });

      it('when no cursor is given and the limit covers every message exactly or more, there is nothing more', async () => {
        const { owner, session, ids } = await givenFiveInterleaved();

        const exact = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 5 }));
        const wider = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 }));

        expect(exact).toEqual({ items: expect.any(Array), hasMore: false });
        expect(idsOf(exact.items)).toEqual(ids);
        expect(idsOf(wider.items)).toEqual(ids);
        expect(wider.hasMore).toBe(false);
      });

      it('when reading before an id, the messages just before it come, oldest first, and hasMore tells if older ones remain', async () => {
        const { owner, session, m1, m2, m3, m4 } = await givenFiveInterleaved();

        const middle = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: m4, limit: 2 }));
        const start = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: m3, limit: 2 }));
        const beforeFirst = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: m1, limit: 2 }));

        expect(middle).toStrictEqual({ items: expect.any(Array), hasMore: true });
        expect(idsOf(middle.items)).toEqual([m2, m3]);
        expect(idsOf(start.items)).toEqual([m1, m2]);
        expect(start.hasMore).toBe(false);
        expect(beforeFirst).toEqual({ items: [], hasMore: false });
      });

      it('when reading after an id, the messages just after it come, oldest first, and hasMore tells if newer ones remain', async () => {
        const { owner, session, m1, m2, m3, m4, m5 } = await givenFiveInterleaved();

        const fromStart = must(await messages.sliceOfSession(session.id, owner.id, { afterId: 0, limit: 2 }));
        const middle = must(await messages.sliceOfSession(session.id, owner.id, { afterId: m2, limit: 2 }));
        const end = must(await messages.sliceOfSession(session.id, owner.id, { afterId: m3, limit: 2 }));
        const afterLast = must(await messages.sliceOfSession(session.id, owner.id, { afterId: m5, limit: 2 }));

        expect(idsOf(fromStart.items)).toEqual([m1, m2]);
        expect(fromStart.hasMore).toBe(true);
        expect(idsOf(middle.items)).toEqual([m3, m4]);
        expect(middle.hasMore).toBe(true);
        expect(idsOf(end.items)).toEqual([m4, m5]);
        expect(end.hasMore).toBe(false);
        expect(afterLast).toEqual({ items: [], hasMore: false });
      });

      it('when a slice is read, its items are plain message views', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const added = await givenMessages(session, 2);

        const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 }));

        expect(slice.items).toStrictEqual(added.map(expectedMessageView));
      });

      it('when messages are deleted, slices skip them in both directions', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const added = await givenMessages(session, 5);
        const [m1, m2, m3, m4, m5] = idsOf(added);
        for (const index of [1, 3]) await deleteMessage(session, must(added[index]), at(DAY));

        const latest = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 2 }));
        const beforeDeleted = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: must(m4), limit: 5 }));
        const afterDeleted = must(await messages.sliceOfSession(session.id, owner.id, { afterId: must(m2), limit: 1 }));
        const afterThird = must(await messages.sliceOfSession(session.id, owner.id, { afterId: must(m3), limit: 1 }));

        expect(idsOf(latest.items)).toEqual([m3, m5]);
        expect(latest.hasMore).toBe(true);
        expect(idsOf(beforeDeleted.items)).toEqual([m1, m3]);
        expect(beforeDeleted.hasMore).toBe(false);
        expect(idsOf(afterDeleted.items)).toEqual([m3]);
        expect(afterDeleted.hasMore).toBe(true);
        expect(idsOf(afterThird.items)).toEqual([m5]);
        expect(afterThird.hasMore).toBe(false);
      });

      it('when the session has no messages, every slice is empty with nothing more', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);

        expect(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 })).toEqual({ items: [], hasMore: false });
        expect(await messages.sliceOfSession(session.id, owner.id, { afterId: 0, limit: 50 })).toEqual({ items: [], hasMore: false });
      });

      it('when the session belongs to someone else, is deleted or does not exist, there is no slice', async () => {
        const { owner, session, m3 } = await givenFiveInterleaved();
        const stranger = await givenUser();
        const deleted = await givenSession(owner);
        await givenMessages(deleted, 2);
        deleted.delete(at(DAY));
        await sessions.save(deleted);

        for (const cursor of [{ beforeId: null, limit: 10 }, { beforeId: m3, limit: 10 }, { afterId: 0, limit: 10 }]) {
          expect(await messages.sliceOfSession(session.id, stranger.id, cursor)).toBeNull();
          expect(await messages.sliceOfSession(deleted.id, owner.id, cursor)).toBeNull();
          expect(await messages.sliceOfSession(deleted.id + 1000, owner.id, cursor)).toBeNull();
        }
      });
    });

    describe('when the newest message was sent', () => {
      it('when the session has no live messages, there is no time', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);

        expect(await messages.latestSentAt(session.id)).toBeNull();
        expect(await messages.latestSentAt(session.id + 1000)).toBeNull();
      });

      it('when messages are live, it is the newest one\'s time, and falls back when that one is deleted', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const [older, newer] = await givenMessages(session, 2, HOUR);
        await givenMessages(other, 1, DAY);

        expect((await messages.latestSentAt(session.id))?.getTime()).toBe(must(newer).createdAt.getTime());

        await deleteMessage(session, must(newer), at(2 * DAY));
        expect((await messages.latestSentAt(session.id))?.getTime()).toBe(must(older).createdAt.getTime());

        await deleteMessage(session, must(older), at(2 * DAY));
        expect(await messages.latestSentAt(session.id)).toBeNull();
      });
    });

    describe('deleting every message of a session', () => {
      it('when cleared, every live message is gone, the count names only those that were live, and other sessions keep theirs', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const added = await givenMessages(session, 4);
        await deleteMessage(session, must(added[0]), at(DAY));
        const kept = await givenMessages(other, 2);

        expect(await clearMessages(session, at(2 * DAY))).toBe(3);

        const page = await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 });
        expect(page).toEqual({ items: [], total: 0 });
        await expectTotalIsMessageCount(page, session);
        expect(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 })).toEqual({ items: [], hasMore: false });
        for (const message of added) expect(await messages.findInSession(message.id, session.id)).toBeNull();
        expect(await messages.latestSentAt(session.id)).toBeNull();
        const otherPage = must(await messages.pageOfSession(other.id, owner.id, { offset: 0, limit: 50 }));
        expect(idsOf(otherPage.items)).toEqual(idsOf(kept));
        expect(otherPage.total).toBe(2);
        await expectTotalIsMessageCount(otherPage, other);
      });

      it('when cleared twice, or when empty, nothing is counted', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        await givenMessages(session, 2);

        expect(await clearMessages(session, at(DAY))).toBe(2);
        expect(await clearMessages(session, at(DAY))).toBe(0);
        expect(await clearMessages(await givenSession(owner), at(DAY))).toBe(0);
      });

      it('when cleared, new messages still get ids above the cleared ones and are listed alone', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const cleared = await givenMessages(session, 2);
        await clearMessages(session, at(DAY));

        const [fresh] = await givenMessages(session, 1, 2 * DAY);

        expect(must(fresh).id).toBeGreaterThan(Math.max(...idsOf(cleared)));
        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));
        expect(page).toEqual({ items: [expectedMessageView(must(fresh))], total: 1 });
        await expectTotalIsMessageCount(page, session);
      });
    });
  });
}
