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
 * Every call that adds or deletes messages keeps its session's counters on its live messages, also
 * when sends and deletes on one session run at once. It runs unchanged against memory, SQLite and
 * MySQL, so it assumes nothing about timing or id values, only their order.
 */
export function describeMessageRepositoryContract(target: RepositoryTarget): void {
  describe(`MessageRepository contract: ${target.name}`, () => {
    const { users, sessions, messages, transactions, givenUser, givenSession, givenMessages } = useRepositoryStorage(target);

    /** Every live message of the session, oldest first. */
    const liveMessagesOf = async (session: ChatSession) =>
      must(await messages.sliceOfSession(session.id, session.userId, { beforeId: null, limit: 10_000 })).items;

    /**
     * The rule the writes keep: the stored session counts its live messages, and its last message
     * time and id are the newest one's (null when none is left). Answers the stored session.
     */
    const expectCountersFollowLiveMessages = async (session: ChatSession) => {
      const live = await liveMessagesOf(session);
      const stored = must(await sessions.findViewOwned(session.id, session.userId));
      const entity = must(await sessions.findOwned(session.id, session.userId));
      expect({ messageCount: stored.messageCount, lastMessageAt: stored.lastMessageAt, lastMessageId: entity.lastMessageId }).toEqual({
        messageCount: live.length,
        lastMessageAt: live.at(-1)?.createdAt ?? null,
        lastMessageId: live.at(-1)?.id ?? null,
      });
      return stored;
    };

    /** The total of a page is the stored session's message count, which is its live messages. */
    const expectTotalIsMessageCount = async (page: { readonly total: number } | null, session: ChatSession): Promise<void> => {
      const stored = await expectCountersFollowLiveMessages(session);
      expect(must(page).total).toBe(stored.messageCount);
    };

    /** Soft-deletes a message through the port, which must find it live. */
    const deleteMessage = async (message: Message, now: Date): Promise<void> => {
      expect(await messages.deleteInSession(message.id, message.sessionId, now)).toBe(true);
    };

    const expectedMessageView = (message: Message) => ({
      id: message.id,
      sessionId: message.sessionId,
      parentId: message.parentId,
      clientId: message.clientId,
      text: message.text,
      sender: message.sender,
      status: message.status,
      metadata: message.metadata,
      editedAt: message.editedAt,
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
        await messages.add(message);
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
      await messages.add(message);

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
        await messages.add(message);
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
      for (const sender of ['user', 'assistant', 'system'] as const) await messages.add(aMessage({ sessionId: session.id, sender }));

      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));

      expect(page.items.map((item) => item.sender)).toEqual(['user', 'assistant', 'system']);
    });

    it('when a message is looked up in another session, deleted or unknown, it is not found', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const elsewhere = await givenSession(owner);
      const [kept, deleted] = await givenMessages(session, 2);
      await deleteMessage(must(deleted), at(DAY));

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
      await messages.add(message);
      const stored = structuredClone(messageState(message));

      message.edit('changed after add', at(DAY));
      message.createdAt.setTime(0);
      const found = must(await messages.findInSession(message.id, session.id));
      found.createdAt.setTime(0);
      found.updatedAt.setTime(0);
      found.edit('changed after find', at(DAY));
      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));
      must(page.items[0]).createdAt.setTime(0);
      must(page.items[0]).updatedAt.setTime(0);
      const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 }));
      must(slice.items[0]).createdAt.setTime(0);

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
        await deleteMessage(must(second[0]), at(DAY));
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
        // A stored count no write would leave (7 with no message), so the total shows where it
        // comes from: the two messages added count on from it.
        const session = await givenSession(owner, { messageCount: 7, lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
        for (const message of [aMessage({ sessionId: session.id }), aMessage({ sessionId: session.id })]) await messages.add(message);

        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));

        expect(page.items).toHaveLength(2);
        expect(page.total).toBe(9);
        expect(must(await sessions.findViewOwned(session.id, owner.id)).messageCount).toBe(9);
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
        for (const index of [1, 3]) await deleteMessage(must(added[index]), at(DAY));

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

    describe("the session's counters", () => {
      /** The stored session's counters and activity time. */
      const countersOf = async (session: ChatSession) => {
        const { messageCount, lastMessageAt, updatedAt } = must(await sessions.findViewOwned(session.id, session.userId));
        return { messageCount, lastMessageAt, updatedAt };
      };

      it('when a session is new, it counts no message and has no last message time', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);

        expect(await countersOf(session)).toEqual({ messageCount: 0, lastMessageAt: null, updatedAt: session.updatedAt });
      });

      it('when messages are added, each one counts, and the last one sent is the last message and the latest activity', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const [, second] = await givenMessages(session, 2, HOUR);
        await givenMessages(other, 1, DAY);

        expect(await countersOf(session)).toEqual({
          messageCount: 2,
          lastMessageAt: must(second).createdAt,
          updatedAt: must(second).createdAt,
        });
        await expectCountersFollowLiveMessages(session);
        await expectCountersFollowLiveMessages(other);
      });

      it('when a message other than the newest is deleted, the count drops, the last message time stays, and so does the activity time', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const [first, , third] = await givenMessages(session, 3, HOUR);
        const before = await countersOf(session);

        await deleteMessage(must(first), at(DAY));

        expect(await countersOf(session)).toEqual({ ...before, messageCount: 2, lastMessageAt: must(third).createdAt });
        await expectCountersFollowLiveMessages(session);
      });

      it('when the newest message is deleted, the last message time falls back to the newest one left, and then to none', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const [older, newer] = await givenMessages(session, 2, HOUR);
        await givenMessages(other, 1, DAY);
        const { updatedAt } = await countersOf(session);

        await deleteMessage(must(newer), at(2 * DAY));
        expect(await countersOf(session)).toEqual({ messageCount: 1, lastMessageAt: must(older).createdAt, updatedAt });

        await deleteMessage(must(older), at(2 * DAY));
        expect(await countersOf(session)).toEqual({ messageCount: 0, lastMessageAt: null, updatedAt });
        await expectCountersFollowLiveMessages(other);
      });

      it('when the message is not live in that session (deleted already, of another session, unknown), deleting answers false and changes nothing', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const elsewhere = await givenSession(owner);
        const [kept, gone] = await givenMessages(session, 2);
        await givenMessages(elsewhere, 1, DAY);
        await deleteMessage(must(gone), at(DAY));
        const before = { here: await countersOf(session), there: await countersOf(elsewhere) };

        expect(await messages.deleteInSession(must(gone).id, session.id, at(2 * DAY))).toBe(false);
        expect(await messages.deleteInSession(must(kept).id, elsewhere.id, at(2 * DAY))).toBe(false);
        expect(await messages.deleteInSession(must(kept).id + 1000, session.id, at(2 * DAY))).toBe(false);
        expect(await messages.deleteInSession(must(kept).id, session.id + 1000, at(2 * DAY))).toBe(false);

        expect({ here: await countersOf(session), there: await countersOf(elsewhere) }).toEqual(before);
        expect(idsOf(await liveMessagesOf(session))).toEqual([must(kept).id]);
        expect(must(await messages.findInSession(must(kept).id, session.id)).updatedAt).toEqual(must(kept).updatedAt);
      });

      it('when a message is deleted, it is not found, and deleting it again answers false', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const [message] = await givenMessages(session, 1);

        await deleteMessage(must(message), at(DAY));

        expect(await messages.findInSession(must(message).id, session.id)).toBeNull();
        expect(await messages.deleteInSession(must(message).id, session.id, at(2 * DAY))).toBe(false);
      });

      it('when cleared, the session counts none and has no last message time; its activity time stays', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        await givenMessages(session, 3);
        const { updatedAt } = await countersOf(session);

        await messages.deleteAllInSession(session.id, at(DAY));

        expect(await countersOf(session)).toEqual({ messageCount: 0, lastMessageAt: null, updatedAt });
      });

      it('when a copy of the session loaded before messages were added is saved, the stored counters stay', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const loaded = must(await sessions.findOwned(session.id, owner.id));
        const [, last] = await givenMessages(session, 2, HOUR);

        loaded.rename('Renamed', at(DAY));
        await sessions.save(loaded);

        expect(await sessions.findViewOwned(session.id, owner.id)).toMatchObject({
          title: 'Renamed',
          messageCount: 2,
          lastMessageAt: must(last).createdAt,
          updatedAt: at(DAY),
        });
      });

      it('when a message is added to a session that does not exist, the refusal changes no session', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const before = await countersOf(session);

        await expect(messages.add(aMessage({ sessionId: session.id + 1000 }))).rejects.toThrow();

        expect(await countersOf(session)).toEqual(before);
      });

      describe('when sends and deletes on one session run at once', () => {
        const SENDS = 12;
        const DELETES = 6;

        /** A session with messages to delete, and what each writer does, as the use cases do it or alone. */
        const givenBusySession = async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const existing = await givenMessages(session, DELETES + 2, HOUR);
          const toDelete = existing.slice(0, DELETES);
          const newMessages = Array.from({ length: SENDS }, (_, i) =>
            aMessage({ sessionId: session.id, createdAt: at(DAY + i * SECOND), updatedAt: at(DAY + i * SECOND) }),
          );
          return { owner, session, toDelete, newMessages };
        };

        const interleave = <T>(a: readonly T[], b: readonly T[]): T[] =>
          Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]]).flat().filter((x): x is T => x !== undefined);

        it('when each writer locks the session in its transaction first, as the use cases do, every send and delete counts', async () => {
          const { owner, session, toDelete, newMessages } = await givenBusySession();
          const underLock = (work: () => Promise<unknown>) =>
            transactions.run(async () => {
              must(await sessions.findOwned(session.id, owner.id, { lock: true }));
              return work();
            });

          const outcomes = await Promise.all(
            interleave<() => Promise<unknown>>(
              newMessages.map((message) => () => underLock(() => messages.add(message))),
              toDelete.map((message) => () => underLock(() => messages.deleteInSession(message.id, session.id, at(2 * DAY)))),
            ).map((write) => write()),
          );

          expect(outcomes.filter((outcome) => outcome === true)).toHaveLength(DELETES);
          const stored = await expectCountersFollowLiveMessages(session);
          expect(stored.messageCount).toBe(2 + SENDS);
        });

        it('when the writers call the port alone, with no transaction of their own, every send and delete still counts', async () => {
          const { session, toDelete, newMessages } = await givenBusySession();

          const outcomes = await Promise.all(
            interleave<() => Promise<unknown>>(
              newMessages.map((message) => () => messages.add(message)),
              toDelete.map((message) => () => messages.deleteInSession(message.id, session.id, at(2 * DAY))),
            ).map((write) => write()),
          );

          expect(outcomes.filter((outcome) => outcome === true)).toHaveLength(DELETES);
          const stored = await expectCountersFollowLiveMessages(session);
          expect(stored.messageCount).toBe(2 + SENDS);
        });

        it('when one message is deleted by several writers at once, exactly one of them deletes it and it counts once', async () => {
          const { session, toDelete } = await givenBusySession();
          const target = must(toDelete[0]);

          const outcomes = await Promise.all(Array.from({ length: 5 }, () => messages.deleteInSession(target.id, session.id, at(2 * DAY))));

          expect(outcomes.filter(Boolean)).toHaveLength(1);
          const stored = await expectCountersFollowLiveMessages(session);
          expect(stored.messageCount).toBe(DELETES + 1);
        });

        it('when a session is cleared while messages are sent to it, it counts exactly the messages sent after the clear', async () => {
          const { session, newMessages } = await givenBusySession();

          await Promise.all(
            interleave<() => Promise<unknown>>(
              newMessages.map((message) => () => messages.add(message)),
              [() => messages.deleteAllInSession(session.id, at(2 * DAY))],
            ).map((write) => write()),
          );

          await expectCountersFollowLiveMessages(session);
        });
      });
    });

    describe('deleting every message of a session', () => {
      it('when cleared, every live message is gone, the count names only those that were live, and other sessions keep theirs', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const added = await givenMessages(session, 4);
        await deleteMessage(must(added[0]), at(DAY));
        const kept = await givenMessages(other, 2);

        expect(await messages.deleteAllInSession(session.id, at(2 * DAY))).toBe(3);

        const page = await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 });
        expect(page).toEqual({ items: [], total: 0 });
        await expectTotalIsMessageCount(page, session);
        expect(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 })).toEqual({ items: [], hasMore: false });
        for (const message of added) expect(await messages.findInSession(message.id, session.id)).toBeNull();
        const otherPage = must(await messages.pageOfSession(other.id, owner.id, { offset: 0, limit: 50 }));
        expect(idsOf(otherPage.items)).toEqual(idsOf(kept));
        expect(otherPage.total).toBe(2);
        await expectTotalIsMessageCount(otherPage, other);
      });

      it('when cleared twice, or when empty, nothing is counted', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        await givenMessages(session, 2);

        expect(await messages.deleteAllInSession(session.id, at(DAY))).toBe(2);
        expect(await messages.deleteAllInSession(session.id, at(DAY))).toBe(0);
        expect(await messages.deleteAllInSession((await givenSession(owner)).id, at(DAY))).toBe(0);
      });

      it('when cleared, new messages still get ids above the cleared ones and are listed alone', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const cleared = await givenMessages(session, 2);
        await messages.deleteAllInSession(session.id, at(DAY));

        const [fresh] = await givenMessages(session, 1, 2 * DAY);

        expect(must(fresh).id).toBeGreaterThan(Math.max(...idsOf(cleared)));
        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));
        expect(page).toEqual({ items: [expectedMessageView(must(fresh))], total: 1 });
        await expectTotalIsMessageCount(page, session);
      });
    });
  });
}
