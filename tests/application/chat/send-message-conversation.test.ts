import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/application/views/session.view.js';
import { METADATA_MAX_BYTES } from '../../../src/application/validation/fields.js';
import { ConflictError } from '../../../src/domain/domain-error.js';
import {
  aSessionOf,
  caught,
  everythingOf,
  expectValidationError,
  messagesOf,
  SECOND,
  sendMessages,
  sessionOf,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

const expectClientIdConflict = async (call: Promise<unknown>): Promise<void> => {
  const error = await caught(call);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ kind: 'conflict', code: 'client_id_conflict' });
};

/** A JSON object whose serialization is exactly `bytes` long. */
const metadataOfBytes = (bytes: number): Record<string, string> => {
  const empty = JSON.stringify({ padding: '' }).length;
  return { padding: 'x'.repeat(bytes - empty) };
};

describe('SendMessage for assistants', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  describe('client_id', () => {
    it('when sent again with the same client id, text and sender, nothing new is stored, no event is published, and the stored message comes back marked as replayed', async () => {
      const first = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId: 'phone-1' });
      const countBefore = (await sessionOf(backend, alice, session.id)).messageCount;
      backend.events.clear();
      backend.clock.advance(SECOND);

      const again = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId: 'phone-1' });

      expect(first.replayed).toBeUndefined();
      expect(first.clientId).toBe('phone-1');
      expect(again).toEqual({ ...first, replayed: true });
      expect(await messagesOf(backend, alice, session.id)).toEqual([first]);
      expect((await sessionOf(backend, alice, session.id)).messageCount).toBe(countBefore);
      expect(backend.events.events).toEqual([]);
    });

    it('when sent again with the same client id after its parent was deleted, it is still the replay of the stored message, not a refused parent', async () => {
      const [parent] = await sendMessages(backend, alice, session.id, ['question']);
      const first = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'answer', clientId: 'retry-1', parentId: parent!.id });
      await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: parent!.id });

      const again = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'answer', clientId: 'retry-1', parentId: parent!.id });

      expect(again).toEqual({ ...first, replayed: true });
    });

    it('when sent again with the same client id but another text or sender, it is a client_id conflict and nothing changes', async () => {
      await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId: 'phone-1' });
      const before = await everythingOf(backend, alice);

      await expectClientIdConflict(backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi!', clientId: 'phone-1' }));
      await expectClientIdConflict(
        backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', sender: 'assistant', clientId: 'phone-1' }),
      );

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it('when the message of a client id was deleted, sending with that id again is a client_id conflict', async () => {
      const sent = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId: 'gone' });
      await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: sent.id });

      await expectClientIdConflict(backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId: 'gone' }));
    });

    it('when the same client id is used in another session, that is another message', async () => {
      const other = await aSessionOf(backend, alice, 'Other');
      const first = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId: 'same' });

      const second = await backend.sendMessage.execute({ userId: alice, sessionId: other.id, text: 'Hi', clientId: 'same' });

      expect(second.id).not.toBe(first.id);
      expect(second.replayed).toBeUndefined();
    });

    it('when many sends with one client id arrive at once, one message is stored and every answer carries it, one of them not a replay', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Once', clientId: 'burst' })),
      );

      const stored = await messagesOf(backend, alice, session.id);
      expect(stored).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.id))).toEqual(new Set([stored[0]?.id]));
      expect(answers.filter((answer) => answer.replayed === undefined)).toHaveLength(1);
    });

    it.each([
      ['', 'empty'],
      ['x'.repeat(65), '65 characters'],
      ['with space', 'a space'],
      ['é', 'a letter outside A-Z'],
      ['a/b', 'a slash'],
    ])('refuses the client id %j (%s)', async (clientId) => {
      await expectValidationError(backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId }), [
        'client_id: must be 1-64 of A-Z a-z 0-9 _ -',
      ]);
    });

    it('accepts a client id of 64 of every allowed character', async () => {
      const clientId = 'AZaz09_-'.repeat(8);

      expect((await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', clientId })).clientId).toBe(clientId);
    });
  });

  describe('parent_id', () => {
    it('when no parent is given, the first message has none and each later one answers the latest live message', async () => {
      const [first, second] = await sendMessages(backend, alice, session.id, ['one', 'two']);
      await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: second!.id });

      const third = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'three' });

      expect(first!.parentId).toBeNull();
      expect(second!.parentId).toBe(first!.id);
      expect(third.parentId).toBe(first!.id);
    });

    it('when an answer is regenerated, the new one has the same parent: the two are siblings', async () => {
      const [question, answer] = await sendMessages(backend, alice, session.id, ['question', 'answer']);

      const regenerated = await backend.sendMessage.execute({
        userId: alice,
        sessionId: session.id,
        text: 'another answer',
        sender: 'assistant',
        parentId: question!.id,
      });

      expect(regenerated.parentId).toBe(question!.id);
      expect(answer!.parentId).toBe(question!.id);
    });

    it("when the parent is a message of another session, another user's, deleted or unknown, the send is refused alike and nothing is stored", async () => {
      const other = await aSessionOf(backend, alice, 'Other');
      const [elsewhere] = await sendMessages(backend, alice, other.id, ['elsewhere']);
      const bobs = await aSessionOf(backend, bob, 'Bob');
      const [bobsMessage] = await sendMessages(backend, bob, bobs.id, ['secret']);
      const [deleted] = await sendMessages(backend, alice, session.id, ['deleted']);
      await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: deleted!.id });
      const before = await everythingOf(backend, alice);

      for (const parentId of [elsewhere!.id, bobsMessage!.id, deleted!.id, bobsMessage!.id + 1000]) {
        await expectValidationError(backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', parentId }), [
          'parent_id: must be a live message of this session',
        ]);
      }

      expect(await everythingOf(backend, alice)).toEqual(before);
    });

    it.each([0, -1, 1.5, 'abc', true])('refuses the parent id %j as not a positive integer', async (parentId) => {
      await expectValidationError(
        backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', parentId: parentId as never }),
        ['parent_id: must be a positive integer'],
      );
    });
  });

  describe('status', () => {
    it('stores a streaming message whose text may be empty, kept as given', async () => {
      const empty = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: '', status: 'streaming', sender: 'assistant' });
      const spaced = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hello ', status: 'streaming' });

      expect(empty).toMatchObject({ text: '', status: 'streaming', sender: 'assistant' });
      expect(spaced).toMatchObject({ text: 'Hello ', status: 'streaming' });
    });

    it('stores a message sent whole as complete, by default and when said so, and refuses it empty', async () => {
      expect((await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi' })).status).toBe('complete');
      expect((await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', status: 'complete' })).status).toBe('complete');
      await expectValidationError(backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: '   ', status: 'complete' }), [
        'text: must be 1-5000 characters',
      ]);
    });

    it.each(['incomplete', 'done', 1])('refuses the status %j', async (status) => {
      await expectValidationError(
        backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', status: status as never }),
        ['status: must be complete or streaming'],
      );
    });
  });

  describe('metadata', () => {
    it(`accepts an object of exactly ${METADATA_MAX_BYTES} bytes as JSON, and stores it exactly`, async () => {
      const metadata = metadataOfBytes(METADATA_MAX_BYTES);
      expect(new TextEncoder().encode(JSON.stringify(metadata)).byteLength).toBe(METADATA_MAX_BYTES);

      const sent = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', metadata });

      expect(sent.metadata).toEqual(metadata);
      expect(JSON.stringify((await messagesOf(backend, alice, session.id))[0]?.metadata)).toBe(JSON.stringify(metadata));
    });

    it('stores nested objects, arrays, numbers, booleans, nulls and text exactly, keys in their order', async () => {
      const metadata = { z: 1, model: 'm-1', usage: { out: 5, in: 12.5 }, citations: [{ url: 'https://x', n: null }], tools: [], ok: false, text: '😀"\\' };

      await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', metadata });

      expect(JSON.stringify((await messagesOf(backend, alice, session.id))[0]?.metadata)).toBe(JSON.stringify(metadata));
    });

    it(`refuses an object of ${METADATA_MAX_BYTES} bytes and one more`, async () => {
      await expectValidationError(
        backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', metadata: metadataOfBytes(METADATA_MAX_BYTES + 1) }),
        [`metadata: must be at most ${METADATA_MAX_BYTES} bytes as JSON`],
      );
      expect(await messagesOf(backend, alice, session.id)).toEqual([]);
    });

    it('counts the bytes of the UTF-8 text, not its characters', async () => {
      const metadata = { text: '😀'.repeat(4096) };

      await expectValidationError(backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', metadata }), [
        `metadata: must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
      ]);
    });

    it.each([
      ['an array', [1, 2]],
      ['a string', '{"a":1}'],
      ['a number', 42],
      ['a boolean', true],
      ['an object holding a function', { f: () => 1 }],
      ['an object holding undefined', { u: undefined }],
      ['an object holding a date', { d: new Date(0) }],
      ['an object holding NaN', { n: Number.NaN }],
      ['a class instance', new Map([['a', 1]])],
    ])('refuses %s', async (_, metadata) => {
      await expectValidationError(
        backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', metadata: metadata as never }),
        ['metadata: must be a JSON object'],
      );
    });

    it('takes null as no metadata', async () => {
      expect((await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi', metadata: null })).metadata).toBeNull();
    });
  });
});
