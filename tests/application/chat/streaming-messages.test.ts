import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import { MESSAGE_MAX_CHARS_DEFAULT as TEXT_MAX } from '../../../src/configuration/app-config.schema.js';
import { ConflictError } from '../../../src/domain/domain-error.js';
import {
  aSessionOf,
  caught,
  expectMessageNotFound,
  expectSessionNotFound,
  expectValidationError,
  messagesOf,
  SECOND,
  twoUsers,
  type Backend,
} from '../../support/chat-fixtures.js';

const expectNotStreaming = async (call: Promise<unknown>): Promise<void> => {
  const error = await caught(call);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ kind: 'conflict', code: 'not_streaming' });
};

describe('AppendToMessage and CompleteMessage', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;
  let streamed: MessageView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
    streamed = await backend.sendMessage.execute({
      userId: alice,
      sessionId: session.id,
      text: '',
      sender: 'assistant',
      status: 'streaming',
      metadata: { model: 'm-1' },
    });
    backend.events.clear();
    backend.clock.advance(SECOND);
  });

  const append = (text: string, userId = alice, messageId: number | string = streamed.id) =>
    backend.appendToMessage.execute({ userId, sessionId: session.id, messageId, text });
  const complete = (metadata?: Record<string, unknown> | null, userId = alice) =>
    backend.completeMessage.execute({ userId, sessionId: session.id, messageId: streamed.id, ...(metadata === undefined ? {} : { metadata: metadata as never }) });

  it('when text is appended, it is added to the end as given, spaces and newlines kept, and the message says so', async () => {
    await append('Hel');
    await append('lo, ');
    const last = await append('world\n');

    expect(last).toMatchObject({ id: streamed.id, text: 'Hello, world\n', status: 'streaming', updatedAt: backend.clock.now() });
    expect((await messagesOf(backend, alice, session.id))[0]).toEqual(last);
  });

  it('when text is appended, each append pushes a message.delta to the owner with the text as stored, after it is stored', async () => {
    await append('Caf\u0065\u0301');
    await append(' au\u0007 lait');

    expect(backend.events.events).toEqual([
      { type: 'message.delta', userId: alice, sessionId: session.id, messageId: streamed.id, text: 'Café' },
      { type: 'message.delta', userId: alice, sessionId: session.id, messageId: streamed.id, text: ' au lait' },
    ]);
    expect((await messagesOf(backend, alice, session.id))[0]?.text).toBe('Café au lait');
  });

  it('when an append is refused, no delta is pushed', async () => {
    await caught(append('x', bob));
    await caught(append(''));
    await complete();
    backend.events.clear();
    await expectNotStreaming(append('late'));

    expect(backend.events.events).toEqual([]);
  });

  it('when appends arrive at once from two writers, none is lost: the text is as long as all of them', async () => {
    const pieces = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? 'ab' : 'c'));

    await Promise.all(pieces.map((piece) => append(piece)));

    const [stored] = await messagesOf(backend, alice, session.id);
    expect(stored?.text.length).toBe(pieces.join('').length);
    expect([...(stored?.text ?? '')].filter((c) => c === 'c')).toHaveLength(250);
  });

  it(`when the whole text would pass ${TEXT_MAX} characters, the append is refused and the text stays`, async () => {
    await append('x'.repeat(TEXT_MAX - 1));

    await expectValidationError(append('yz'), [`text: must be 0-${TEXT_MAX} characters`]);
    const last = await append('y');

    expect([...last.text]).toHaveLength(TEXT_MAX);
  });

  it('refuses an empty append, and one that is not text', async () => {
    await expectValidationError(append(''), [`text: must be 1-${TEXT_MAX} characters`]);
    await expectValidationError(append(5 as never), ['text: must be a string']);
  });

  it('when the message is not streaming, appending is refused as not_streaming', async () => {
    const whole = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Done' });

    await expectNotStreaming(append('more', alice, whole.id));
    await complete();
    await expectNotStreaming(append('more'));
  });

  it("when the message or session is another user's, it is not found, and nothing changes", async () => {
    await expectSessionNotFound(append('intrusion', bob));
    await expectMessageNotFound(append('missing', alice, streamed.id + 1000));
    await expectSessionNotFound(complete(undefined, bob));

    expect((await messagesOf(backend, alice, session.id))[0]).toMatchObject({ text: '', status: 'streaming' });
  });

  it('publishes only a delta per append, no message.updated; completing publishes message.updated with the whole message', async () => {
    await append('Hello');
    expect(backend.events.events.map((event) => event.type)).toEqual(['message.delta']);
    backend.events.clear();

    const done = await complete();

    expect(done).toMatchObject({ text: 'Hello', status: 'complete', metadata: { model: 'm-1' } });
    expect(backend.events.events).toEqual([{ type: 'message.updated', userId: alice, sessionId: session.id, message: done }]);
  });

  it('when completed with metadata, it replaces the metadata sent; null keeps it; non-objects are refused', async () => {
    await expectValidationError(complete([1] as never), ['metadata: must be a JSON object']);

    const done = await complete({ model: 'm-1', usage: { tokens: 3 } });

    expect(done.metadata).toEqual({ model: 'm-1', usage: { tokens: 3 } });
  });

  it('when completed twice, the second is refused as not_streaming', async () => {
    await complete(null);

    await expectNotStreaming(complete());
    expect((await messagesOf(backend, alice, session.id))[0]?.metadata).toEqual({ model: 'm-1' });
  });
});
