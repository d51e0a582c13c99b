import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/domain-error.js';
import type { MessageMetadata } from '../../src/domain/message.entity.js';
import { aMessage, at, DAY, HOUR, messageState, MINUTE } from '../support/builders.js';
import { EMOJI_TEXT, INJECTION_TEXT, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/** 16 KiB of JSON, nested, with every kind of value, keys in no sorted order. */
const LARGE_METADATA: MessageMetadata = {
  model: 'gpt-x',
  usage: { prompt_tokens: 1234, completion_tokens: 56, ratio: 0.125, negative: -3 },
  citations: [{ url: 'https://example.com/a?b=c&d=e', title: EMOJI_TEXT }, null, true, false, 'text'],
  tool_calls: [{ name: 'search', arguments: { query: INJECTION_TEXT, nested: { deeper: [[], {}] } } }],
  padding: 'x'.repeat(15_000),
};

/**
 * What the MessageRepository keeps for assistants, on every adapter: a message's parent, client id,
 * status, metadata and edit time come back as stored; a client id is unique within a session and
 * finds its message; an edit's revisions are stored with it, oldest first; and the session's last
 * message id follows its newest live message like its counters do.
 */
export function describeMessageConversationContract(target: RepositoryTarget): void {
  describe(`MessageRepository contract, conversations: ${target.name}`, () => {
    const { users, sessions, messages, givenUser, givenSession, givenMessages } = useRepositoryStorage(target);

    const lastMessageIdOf = async (sessionId: number, ownerId: string) => must(await sessions.findOwned(sessionId, ownerId)).lastMessageId;

    it('when a message with a parent, a client id, a status, metadata and an edit time is added, every field comes back as stored, in the entity and the views', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const [parent] = await givenMessages(session, 1);
      const message = aMessage({
        sessionId: session.id,
        parentId: must(parent).id,
        clientId: 'Client_id-09',
        status: 'streaming',
        metadata: LARGE_METADATA,
        editedAt: at(HOUR + MINUTE),
        createdAt: at(HOUR + 5),
        updatedAt: at(HOUR + 6),
      });
      await messages.add(message);

      const found = must(await messages.findInSession(message.id, session.id));
      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));
      const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 }));

      expect(messageState(found)).toEqual(messageState(message));
      expect(JSON.stringify(found.metadata)).toBe(JSON.stringify(LARGE_METADATA));
      const { isDeleted: _isDeleted, ...view } = messageState(message);
      expect(page.items.at(-1)).toStrictEqual(view);
      expect(slice.items.at(-1)).toStrictEqual(view);
    });

    it('when a message is added plainly, it is complete, with no parent, client id, metadata or edit time', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const [message] = await givenMessages(session, 1);

      expect(must(await messages.findInSession(must(message).id, session.id))).toMatchObject({
        parentId: null,
        clientId: null,
        status: 'complete',
        metadata: null,
        editedAt: null,
      });
    });

    it('when a status and metadata change and are saved, they are stored', async () => {
      const owner = await givenUser();
      const session = await givenSession(owner);
      const message = aMessage({ sessionId: session.id, text: '', status: 'streaming' });
      await messages.add(message);

      message.append('Hello', at(DAY));
      message.append(' world', at(DAY + 1));
      message.complete(at(DAY + 2), { tokens: 2 });
      await messages.save(message);

      expect(messageState(must(await messages.findInSession(message.id, session.id)))).toEqual(messageState(message));
    });

    describe('client ids', () => {
      it('when a client id is stored in a session, it finds its message there, and nowhere else', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, clientId: 'abc' });
        await messages.add(message);

        expect(messageState(must(await messages.findByClientId(session.id, 'abc')))).toEqual(messageState(message));
        expect(await messages.findByClientId(other.id, 'abc')).toBeNull();
        expect(await messages.findByClientId(session.id, 'abd')).toBeNull();
      });

      it('when a client id is used again in the same session, the message is refused as a client_id conflict and nothing changes', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        await messages.add(aMessage({ sessionId: session.id, clientId: 'same' }));
        const countBefore = must(await sessions.findViewOwned(session.id, owner.id)).messageCount;

        const error: unknown = await messages.add(aMessage({ sessionId: session.id, clientId: 'same' })).then(
          () => undefined,
          (reason: unknown) => reason,
        );

        expect(error).toBeInstanceOf(ConflictError);
        expect(error).toMatchObject({ kind: 'conflict', code: 'client_id_conflict' });
        expect(must(await sessions.findViewOwned(session.id, owner.id)).messageCount).toBe(countBefore);
        expect(must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 })).items).toHaveLength(1);
      });

      it('when the same client id is used in another session, or messages have none, nothing collides', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const other = await givenSession(await givenUser());
        await messages.add(aMessage({ sessionId: session.id, clientId: 'shared' }));
        await messages.add(aMessage({ sessionId: other.id, clientId: 'shared' }));
        await givenMessages(session, 3);

        expect(must(await sessions.findViewOwned(session.id, owner.id)).messageCount).toBe(4);
      });

      it('when the message of a client id is deleted, the id still finds it, deleted, and stays taken', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, clientId: 'gone' });
        await messages.add(message);
        await messages.deleteInSession(message.id, session.id, at(DAY));

        expect(must(await messages.findByClientId(session.id, 'gone'))).toMatchObject({ id: message.id, isDeleted: true });
        await expect(messages.add(aMessage({ sessionId: session.id, clientId: 'gone' }))).rejects.toMatchObject({ code: 'client_id_conflict' });
      });
    });

    describe('revisions', () => {
      it('when a message is edited three times and saved after each, its three earlier texts are its revisions, oldest first', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, text: 'first' });
        await messages.add(message);

        for (const [i, text] of ['second', EMOJI_TEXT, INJECTION_TEXT].entries()) {
          const loaded = must(await messages.findInSession(message.id, session.id));
          loaded.edit(text, at(DAY + i * MINUTE));
          await messages.save(loaded);
        }

        expect(await messages.revisionsOf(message.id)).toEqual([
          { text: 'first', createdAt: at(DAY) },
          { text: 'second', createdAt: at(DAY + MINUTE) },
          { text: EMOJI_TEXT, createdAt: at(DAY + 2 * MINUTE) },
        ]);
        expect(must(await messages.findInSession(message.id, session.id))).toMatchObject({ text: INJECTION_TEXT, editedAt: at(DAY + 2 * MINUTE) });
      });

      it('when several edits are saved at once, each is a revision; saving again, or saving with no edit, adds none', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, text: 'one' });
        const untouched = aMessage({ sessionId: session.id });
        await messages.add(message);
        await messages.add(untouched);

        message.edit('two', at(DAY));
        message.edit('three', at(DAY + 1));
        await messages.save(message);
        await messages.save(message);
        await messages.save(untouched);

        expect((await messages.revisionsOf(message.id)).map((revision) => revision.text)).toEqual(['one', 'two']);
        expect(await messages.revisionsOf(untouched.id)).toEqual([]);
      });

      it('when a user is deleted, the revisions of their messages go too', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, text: 'one' });
        await messages.add(message);
        message.edit('two', at(DAY));
        await messages.save(message);

        await users.delete(owner.id);

        expect(await messages.revisionsOf(message.id)).toEqual([]);
      });
    });

    describe("the session's last message id", () => {
      it('when messages are added it is the newest; deleting the newest falls back to the one before; clearing leaves none', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        expect(await lastMessageIdOf(session.id, owner.id)).toBeNull();

        const [first, second, third] = await givenMessages(session, 3);
        expect(await lastMessageIdOf(session.id, owner.id)).toBe(must(third).id);

        await messages.deleteInSession(must(second).id, session.id, at(DAY));
        expect(await lastMessageIdOf(session.id, owner.id)).toBe(must(third).id);
        await messages.deleteInSession(must(third).id, session.id, at(DAY));
        expect(await lastMessageIdOf(session.id, owner.id)).toBe(must(first).id);

        await messages.deleteAllInSession(session.id, at(DAY));
        expect(await lastMessageIdOf(session.id, owner.id)).toBeNull();
      });

      it('when a copy of the session loaded before a message was added is saved, the stored last message id stays', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const stale = must(await sessions.findOwned(session.id, owner.id));
        const [message] = await givenMessages(session, 1);

        stale.rename('Renamed', at(DAY));
        await sessions.save(stale);

        expect(await lastMessageIdOf(session.id, owner.id)).toBe(must(message).id);
      });
    });
  });
}
