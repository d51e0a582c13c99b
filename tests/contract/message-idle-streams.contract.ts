import { describe, expect, it } from 'vitest';
import type { ChatSession } from '../../src/domain/chat-session.entity.js';
import type { Message } from '../../src/domain/message.entity.js';
import { aMessage, at, DAY, HOUR, MINUTE } from '../support/builders.js';
import { must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What the idle-stream sweep reads, on every adapter: the live, streaming messages of active
 * sessions last changed before the cutoff, with their owner, oldest first and bounded.
 */
export function describeMessageIdleStreamsContract(target: RepositoryTarget): void {
  describe(`MessageRepository contract, idle streams: ${target.name}`, () => {
    const { sessions, messages, givenUser, givenSession } = useRepositoryStorage(target);

    const CUTOFF = at(DAY);

    /** A message of `session` in that status, last changed at `updatedAtMs`. */
    const givenStream = async (session: ChatSession, updatedAtMs: number, status: Message['status'] = 'streaming'): Promise<Message> => {
      const message = aMessage({ sessionId: session.id, text: 'partial', sender: 'assistant', status, createdAt: at(HOUR), updatedAt: at(updatedAtMs) });
      await messages.add(message);
      return message;
    };

    it('when streams went idle before the cutoff, each is found with its session and owner, oldest first, ties by id', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const aliceSession = await givenSession(alice);
      const bobSession = await givenSession(bob);
      const newest = await givenStream(aliceSession, DAY - MINUTE);
      const oldest = await givenStream(bobSession, HOUR);
      const tiedFirst = await givenStream(aliceSession, 2 * HOUR);
      const tiedSecond = await givenStream(bobSession, 2 * HOUR);

      expect(await messages.idleStreams(CUTOFF, 10)).toEqual([
        { messageId: oldest.id, sessionId: bobSession.id, userId: bob.id },
        { messageId: tiedFirst.id, sessionId: aliceSession.id, userId: alice.id },
        { messageId: tiedSecond.id, sessionId: bobSession.id, userId: bob.id },
        { messageId: newest.id, sessionId: aliceSession.id, userId: alice.id },
      ]);
    });

    it('finds none changed at or after the cutoff, none complete or incomplete, none deleted, none in a deleted session', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const deletedSession = await givenSession(owner);
      const idle = await givenStream(session, HOUR);
      await givenStream(session, DAY);
      await givenStream(session, DAY + 1);
      await givenStream(session, HOUR, 'complete');
      await givenStream(session, HOUR, 'incomplete');
      const deleted = await givenStream(session, HOUR);
      await messages.deleteInSession(deleted.id, session.id, at(HOUR));
      await givenStream(deletedSession, HOUR);
      const toDelete = must(await sessions.findOwned(deletedSession.id, owner.id));
      toDelete.delete(at(2 * HOUR));
      await sessions.save(toDelete);

      expect(await messages.idleStreams(CUTOFF, 10)).toEqual([{ messageId: idle.id, sessionId: session.id, userId: owner.id }]);
    });

    it('answers at most `limit`, the oldest ones, and none at all when nothing streams', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      expect(await messages.idleStreams(CUTOFF, 10)).toEqual([]);
      const streams = [];
      for (let i = 5; i > 0; i -= 1) streams.push(await givenStream(session, i * HOUR));

      const found = await messages.idleStreams(CUTOFF, 2);

      expect(found.map((stream) => stream.messageId)).toEqual([must(streams[4]).id, must(streams[3]).id]);
    });

    it('when an idle stream is saved after an append, or marked incomplete, it is no longer found', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const appended = await givenStream(session, HOUR);
      const marked = await givenStream(session, HOUR);

      const appendedCopy = must(await messages.findInSession(appended.id, session.id));
      appendedCopy.append(' more', at(DAY + MINUTE));
      await messages.save(appendedCopy);
      const markedCopy = must(await messages.findInSession(marked.id, session.id));
      expect(markedCopy.markIncompleteIfIdle(CUTOFF, at(DAY + MINUTE))).toBe(true);
      await messages.save(markedCopy);

      expect(await messages.idleStreams(CUTOFF, 10)).toEqual([]);
      expect(await messages.idleStreams(at(2 * DAY), 10)).toEqual([{ messageId: appended.id, sessionId: session.id, userId: owner.id }]);
    });
  });
}
