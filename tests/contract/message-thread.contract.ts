import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.entity.js';
import { aMessage, at, DAY } from '../support/builders.js';
import { must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * The MessageRepository's thread read on every adapter: the path from a message up through its
 * parents, the nearest `limit` live ones oldest first, whether more lie above, deleted messages
 * passed over, nothing from another session.
 */
export function describeMessageThreadContract(target: RepositoryTarget): void {
  describe(`MessageRepository contract, threads: ${target.name}`, () => {
    const { messages, givenUser, givenSession } = useRepositoryStorage(target);

    /** A chain of `count` messages, each answering the one before. */
    const givenChain = async (sessionId: number, count: number, parentId: number | null = null): Promise<Message[]> => {
      const chain: Message[] = [];
      for (let i = 0; i < count; i += 1) {
        const message = aMessage({ sessionId, parentId: chain.at(-1)?.id ?? parentId });
        await messages.add(message);
        chain.push(message);
      }
      return chain;
    };
    const idsOf = (page: { items: readonly { id: number }[] }) => page.items.map((item) => item.id);

    it('when read from a message, the path comes oldest first with that message last, and nothing more above', async () => {
      const session = await givenSession(await givenUser());
      const chain = await givenChain(session.id, 4);
      await givenChain(session.id, 2, must(chain[1]).id);

      const page = await messages.threadOf(session.id, { from: must(chain[3]).id, includeFrom: true, limit: 10 });

      expect(idsOf(page)).toEqual(chain.map((message) => message.id));
      expect(page.hasMore).toBe(false);
    });

    it('when the path is longer than the limit, the nearest come, and a read above the oldest shown continues it', async () => {
      const session = await givenSession(await givenUser());
      const chain = await givenChain(session.id, 5);

      const first = await messages.threadOf(session.id, { from: must(chain[4]).id, includeFrom: true, limit: 2 });
      const second = await messages.threadOf(session.id, { from: must(first.items[0]).id, includeFrom: false, limit: 2 });
      const third = await messages.threadOf(session.id, { from: must(second.items[0]).id, includeFrom: false, limit: 2 });
      const exact = await messages.threadOf(session.id, { from: must(chain[1]).id, includeFrom: true, limit: 2 });

      expect([idsOf(first), first.hasMore]).toEqual([[chain[3]?.id, chain[4]?.id], true]);
      expect([idsOf(second), second.hasMore]).toEqual([[chain[1]?.id, chain[2]?.id], true]);
      expect([idsOf(third), third.hasMore]).toEqual([[chain[0]?.id], false]);
      expect([idsOf(exact), exact.hasMore]).toEqual([[chain[0]?.id, chain[1]?.id], false]);
    });

    it('when messages on the path are deleted, they are passed over and do not count towards the limit', async () => {
      const session = await givenSession(await givenUser());
      const chain = await givenChain(session.id, 5);
      for (const index of [1, 3]) await messages.deleteInSession(must(chain[index]).id, session.id, at(DAY));

      const page = await messages.threadOf(session.id, { from: must(chain[4]).id, includeFrom: true, limit: 3 });

      expect([idsOf(page), page.hasMore]).toEqual([[chain[0]?.id, chain[2]?.id, chain[4]?.id], false]);
    });

    it('when the message is of another session, or unknown, the thread is empty', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const other = await givenSession(owner);
      const chain = await givenChain(other.id, 2);

      expect(await messages.threadOf(session.id, { from: must(chain[1]).id, includeFrom: true, limit: 10 })).toEqual({ items: [], hasMore: false });
      expect(await messages.threadOf(session.id, { from: must(chain[1]).id + 1000, includeFrom: true, limit: 10 })).toEqual({
        items: [],
        hasMore: false,
      });
    });
  });
}
