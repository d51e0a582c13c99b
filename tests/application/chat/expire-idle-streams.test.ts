import { beforeEach, describe, expect, it } from 'vitest';
import { ExpireIdleStreams } from '../../../src/application/chat/expire-idle-streams.use-case.js';
import type { IdleStream, MessageRepository } from '../../../src/application/ports/message-repository.port.js';
import type { MessageView } from '../../../src/application/views/message.view.js';
import type { SessionView } from '../../../src/application/views/session.view.js';
import { ConflictError } from '../../../src/domain/domain-error.js';
import { aSessionOf, caught, messagesOf, SECOND, twoUsers, type Backend } from '../../support/chat-fixtures.js';

/** The harness's `STREAM_IDLE_TIMEOUT`: the server's default. */
const IDLE_TIMEOUT = 5 * 60 * SECOND;

describe('ExpireIdleStreams', () => {
  let backend: Backend;
  let alice: string;
  let bob: string;
  let session: SessionView;

  beforeEach(async () => {
    ({ backend, alice, bob } = await twoUsers());
    session = await aSessionOf(backend, alice, 'Talk');
  });

  const aStream = (userId = alice, sessionId = session.id): Promise<MessageView> =>
    backend.sendMessage.execute({ userId, sessionId, text: 'The answer is', sender: 'assistant', status: 'streaming' });
  const append = (message: MessageView, text: string, userId = alice) =>
    backend.appendToMessage.execute({ userId, sessionId: message.sessionId, messageId: message.id, text });
  const stored = async (message: MessageView, userId = alice) =>
    (await messagesOf(backend, userId, message.sessionId)).find((candidate) => candidate.id === message.id);
  const updates = () => backend.events.events.filter((event) => event.type === 'message.updated');

  /**
   * The use case over the harness's ports, with a message repository whose candidate read runs
   * `between` after it has read and before the sweep goes on: what happens between the two.
   */
  const sweepWith = (between: (found: IdleStream[]) => Promise<void>, batchSize?: number): ExpireIdleStreams => {
    const { ports } = backend;
    const messages: MessageRepository = new Proxy(ports.messages, {
      get: (target, key) =>
        key === 'idleStreams'
          ? async (idleSince: Date, limit: number) => {
              const found = await target.idleStreams(idleSince, limit);
              await between(found);
              return found;
            }
          : (Reflect.get(target, key) as (...args: unknown[]) => unknown).bind(target),
    });
    return new ExpireIdleStreams(ports.sessions, messages, ports.clock, ports.transactions, ports.events, {
      idleTimeoutMs: IDLE_TIMEOUT,
      ...(batchSize === undefined ? {} : { batchSize }),
    });
  };

  it('when a stream has had no append for the idle timeout, it becomes incomplete with its text, and its owner gets message.updated', async () => {
    const streamed = await aStream();
    await append(streamed, ' 42');
    backend.events.clear();
    backend.clock.advance(IDLE_TIMEOUT + 1);

    expect(await backend.expireIdleStreams.execute()).toBe(1);

    const incomplete = { id: streamed.id, text: 'The answer is 42', status: 'incomplete', updatedAt: backend.clock.now() };
    expect(await stored(streamed)).toMatchObject(incomplete);
    expect(backend.events.events).toEqual([
      { type: 'message.updated', userId: alice, sessionId: session.id, message: await stored(streamed) },
    ]);
    const refused = await caught(append(streamed, '!'));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'not_streaming' });
  });

  it('when the last append is exactly the idle timeout old, or younger, the stream keeps streaming and nothing is published', async () => {
    const streamed = await aStream();
    backend.clock.advance(IDLE_TIMEOUT - SECOND);
    await append(streamed, ' 42');
    backend.events.clear();
    backend.clock.advance(IDLE_TIMEOUT);

    expect(await backend.expireIdleStreams.execute()).toBe(0);

    expect(await stored(streamed)).toMatchObject({ status: 'streaming', text: 'The answer is 42' });
    expect(updates()).toEqual([]);
    backend.clock.advance(1);
    expect(await backend.expireIdleStreams.execute()).toBe(1);
  });

  it('when messages are complete, completed, incomplete already, deleted or in a deleted session, they are left as they are', async () => {
    const plain = await backend.sendMessage.execute({ userId: alice, sessionId: session.id, text: 'Hi' });
    const completed = await aStream();
    await backend.completeMessage.execute({ userId: alice, sessionId: session.id, messageId: completed.id });
    const deleted = await aStream();
    await backend.deleteMessage.execute({ userId: alice, sessionId: session.id, messageId: deleted.id });
    const other = await aSessionOf(backend, alice, 'Deleted later');
    await aStream(alice, other.id);
    await backend.deleteSession.execute({ userId: alice, sessionId: other.id });
    backend.clock.advance(IDLE_TIMEOUT + 1);
    expect(await backend.expireIdleStreams.execute()).toBe(0);
    const before = await messagesOf(backend, alice, session.id);
    backend.events.clear();

    expect(await backend.expireIdleStreams.execute()).toBe(0);

    expect(await messagesOf(backend, alice, session.id)).toEqual(before);
    expect(before.map((message) => [message.id, message.status])).toEqual([
      [plain.id, 'complete'],
      [completed.id, 'complete'],
    ]);
    expect(backend.events.events).toEqual([]);
  });

  it("when several users' streams go idle, each is marked and each owner gets its own message's event, oldest first", async () => {
    const first = await aStream();
    backend.clock.advance(SECOND);
    const bobsSession = await aSessionOf(backend, bob, 'Bob');
    const second = await aStream(bob, bobsSession.id);
    backend.clock.advance(SECOND);
    const third = await aStream();
    backend.events.clear();
    backend.clock.advance(IDLE_TIMEOUT + SECOND);

    expect(await backend.expireIdleStreams.execute()).toBe(3);

    expect(updates().map((event) => [event.userId, event.type === 'message.updated' ? event.message.id : null])).toEqual([
      [alice, first.id],
      [bob, second.id],
      [alice, third.id],
    ]);
    expect(await stored(second, bob)).toMatchObject({ status: 'incomplete' });
  });

  it('when an append comes in after the sweep read its candidates, the append wins: the stream keeps streaming, nothing is published', async () => {
    const streamed = await aStream();
    backend.clock.advance(IDLE_TIMEOUT + 1);
    backend.events.clear();
    let appended: MessageView | undefined;
    const sweep = sweepWith(async (found) => {
      expect(found.map((candidate) => candidate.messageId)).toEqual([streamed.id]);
      appended = await append(streamed, ' still here');
    });

    expect(await sweep.execute()).toBe(0);

    expect(await stored(streamed)).toEqual(appended);
    expect(appended).toMatchObject({ status: 'streaming', text: 'The answer is still here' });
    expect(updates()).toEqual([]);
  });

  it('when two sweeps run at once over the same candidates, each stream is marked once, with one event', async () => {
    const streams: MessageView[] = [];
    for (let i = 0; i < 5; i += 1) streams.push(await aStream());
    backend.clock.advance(IDLE_TIMEOUT + 1);
    backend.events.clear();
    // Neither sweep goes on before both have read every candidate.
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const barrier = async (found: IdleStream[]) => {
      if (found.length === 0) return;
      arrived += 1;
      if (arrived === 2) release();
      await bothRead;
    };

    const counts = await Promise.all([sweepWith(barrier).execute(), sweepWith(barrier).execute()]);

    expect(counts[0] + counts[1]).toBe(streams.length);
    const marked = updates().map((event) => (event.type === 'message.updated' ? event.message.id : null));
    expect(marked.sort((a, b) => Number(a) - Number(b))).toEqual(streams.map((message) => message.id));
    for (const message of streams) expect(await stored(message)).toMatchObject({ status: 'incomplete' });
  });

  it('when more streams are idle than one read takes, one run marks them all', async () => {
    for (let i = 0; i < 5; i += 1) await aStream();
    backend.clock.advance(IDLE_TIMEOUT + 1);
    const reads: number[] = [];

    expect(await sweepWith(async (found) => void reads.push(found.length), 2).execute()).toBe(5);

    expect(reads).toEqual([2, 2, 1]);
    expect((await messagesOf(backend, alice, session.id)).map((message) => message.status)).toEqual(Array(5).fill('incomplete'));
  });

  it('when one stream cannot be decided, the others still are, and the run then rejects naming the failure', async () => {
    const [first, broken, last] = [await aStream(), await aStream(), await aStream()];
    backend.clock.advance(IDLE_TIMEOUT + 1);
    backend.events.clear();
    const { ports } = backend;
    const messages: MessageRepository = new Proxy(ports.messages, {
      get: (target, key) =>
        key === 'findInSession'
          ? async (id: number, sessionId: number) => {
              if (id === broken.id) throw new Error('Lock wait timeout exceeded');
              return target.findInSession(id, sessionId);
            }
          : (Reflect.get(target, key) as (...args: unknown[]) => unknown).bind(target),
    });
    const sweep = new ExpireIdleStreams(ports.sessions, messages, ports.clock, ports.transactions, ports.events, { idleTimeoutMs: IDLE_TIMEOUT });

    const error = await caught(sweep.execute());

    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((each: Error) => each.message)).toEqual(['Lock wait timeout exceeded']);
    expect((error as AggregateError).message).toBe('1 idle stream(s) could not be decided; 2 marked');
    expect((await stored(first))?.status).toBe('incomplete');
    expect((await stored(broken))?.status).toBe('streaming');
    expect((await stored(last))?.status).toBe('incomplete');
    expect(updates().map((event) => event.type === 'message.updated' && event.message.id)).toEqual([first.id, last.id]);
  });

  it('when the run is told to stop, it starts no further stream: what is left waits for the next run', async () => {
    const streams = [await aStream(), await aStream()];
    backend.clock.advance(IDLE_TIMEOUT + 1);
    const stopping = new AbortController();
    stopping.abort();

    expect(await backend.expireIdleStreams.execute({ signal: stopping.signal })).toBe(0);
    expect((await stored(streams[0]!))?.status).toBe('streaming');
    expect(await backend.expireIdleStreams.execute()).toBe(2);
  });
});
