import { beforeEach, describe, expect, it } from 'vitest';
import { createInMemoryChatBackend } from '../../../src/testing.js';
import { aSessionOf, expectValidationError, signedInUser, type Backend } from '../../support/chat-fixtures.js';

/** Raised above the seed's 5000, as `MESSAGE_MAX_CHARS` does for an assistant that answers at length. */
const LIMIT = 12_000;
/** A character of four bytes in UTF-8 and two UTF-16 units: counted once. */
const EMOJI = '\u{1F600}';

describe('the longest message, as MESSAGE_MAX_CHARS sets it', () => {
  let backend: Backend;
  let alice: string;
  let sessionId: number;

  beforeEach(async () => {
    backend = createInMemoryChatBackend({ messageMaxChars: LIMIT });
    alice = await signedInUser(backend);
    sessionId = (await aSessionOf(backend, alice)).id;
  });

  const send = (text: string, status?: 'streaming') => backend.sendMessage.execute({ userId: alice, sessionId, text, ...(status ? { status } : {}) });

  it(`when a message of exactly ${LIMIT} characters is sent, it is stored whole; one more is refused, naming the limit`, async () => {
    const longest = EMOJI.repeat(LIMIT);

    expect((await send(longest)).text).toBe(longest);
    await expectValidationError(send(`${longest}x`), [`text: must be 1-${LIMIT} characters`]);
  });

  it('when an edit or a streamed message passes the limit, it is refused; up to it, it is kept', async () => {
    const message = await send('short');
    const edited = await backend.editMessage.execute({ userId: alice, sessionId, messageId: message.id, text: 'y'.repeat(LIMIT) });
    expect([...edited.text]).toHaveLength(LIMIT);
    await expectValidationError(backend.editMessage.execute({ userId: alice, sessionId, messageId: message.id, text: 'y'.repeat(LIMIT + 1) }), [
      `text: must be 1-${LIMIT} characters`,
    ]);

    const streamed = await send('', 'streaming');
    const append = (text: string) => backend.appendToMessage.execute({ userId: alice, sessionId, messageId: streamed.id, text });
    await append('z'.repeat(LIMIT - 1));
    await expectValidationError(append('zz'), [`text: must be 0-${LIMIT} characters`]);
    expect([...(await append('z')).text]).toHaveLength(LIMIT);
  });

  it("when no limit is configured, the seed's 5000 characters hold", async () => {
    const seed = createInMemoryChatBackend();
    const bob = await signedInUser(seed);
    const session = await aSessionOf(seed, bob);

    expect((await seed.sendMessage.execute({ userId: bob, sessionId: session.id, text: 'x'.repeat(5000) })).text).toHaveLength(5000);
    await expectValidationError(seed.sendMessage.execute({ userId: bob, sessionId: session.id, text: 'x'.repeat(5001) }), ['text: must be 1-5000 characters']);
  });
});
