import { afterAll, beforeAll, expect, it } from 'vitest';
import { MESSAGES_PER_PAGE_MAX } from '../../../../src/application/validation/fields.js';
import type { UseCases } from '../../../../src/application/use-cases.js';
import type { MessageView } from '../../../../src/application/views/message.view.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';
import { realUseCasesOver, type RealUseCases } from '../../../support/real-use-cases.js';

const SENDS = 500;

/** One line per rejected send (with the driver's code, e.g. ER_LOCK_DEADLOCK), not a dump of 500 errors. */
const describeFailure = (reason: unknown): string => {
  if (!(reason instanceof Error)) return String(reason);
  const cause = reason.cause as { code?: unknown } | undefined;
  return `${reason.name}: ${reason.message}${typeof cause?.code === 'string' ? ` (${cause.code})` : ''}`;
};

/** Every message of the session by position, page after page, as `GET .../messages?page=` reads it. */
const listEveryMessage = async (useCases: UseCases, userId: string, sessionId: number) => {
  const items: MessageView[] = [];
  const totals: number[] = [];
  for (let page = 1; ; page += 1) {
    const found = await useCases.listMessages.execute({ userId, sessionId, page, perPage: MESSAGES_PER_PAGE_MAX });
    items.push(...found.items);
    totals.push(found.pagination.total);
    if (!found.pagination.hasNext) return { items, totals };
  }
};

/**
 * Every message of the session by id, as `GET .../messages?before_id=` reads it: the latest slice
 * first, then slice after slice back to the oldest.
 */
const scrollEveryMessage = async (useCases: UseCases, userId: string, sessionId: number) => {
  let items: MessageView[] = [];
  for (let beforeId: number | null = null; ; ) {
    const slice = await useCases.scrollMessages.execute({ userId, sessionId, beforeId, limit: MESSAGES_PER_PAGE_MAX });
    items = [...slice.items, ...items];
    const oldest = slice.items[0];
    if (!slice.hasMore || !oldest) return items;
    beforeId = oldest.id;
  }
};

describeWithMySql('MySQL: concurrent sends and deletes on one session, through the real use cases', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;
  let app: RealUseCases;

  beforeAll(async () => {
    // 500 transactions queue for 10 connections and then for the session's row lock; the wait for a
    // connection is long here because this test is about correctness, not about pool sizing.
    database = await createMySqlTestDatabase({ max: 10, acquireTimeoutMs: 120_000 });
    storage = await openMikroOrmFixture(database.options);
    app = realUseCasesOver(storage);
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it(`when ${SENDS} messages are sent at once, every send is acknowledged, each is stored once, ids rise, and the count is ${SENDS}`, async () => {
    const { useCases, events } = app;
    const { user } = await useCases.registerUser.execute({
      username: 'sender',
      email: 'sender@example.com',
      password: 'Sender-Passw0rd',
    });
    const session = await useCases.createSession.execute({ userId: user.id, title: 'Busy' });
    const texts = Array.from({ length: SENDS }, (_, index) => `message ${index}`);

    // The use case itself, 500 times at once: if SendMessage took the session's row lock after the
    // insert (or not at all), concurrent senders would deadlock and some of these would reject.
    const outcomes = await Promise.allSettled(
      texts.map((text) => useCases.sendMessage.execute({ userId: user.id, sessionId: session.id, text })),
    );

    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [describeFailure(outcome.reason)] : []));
    expect(failures).toEqual([]);
    const acknowledged = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(acknowledged).toHaveLength(SENDS);
    const acknowledgedIds = acknowledged.map((message) => message.id).sort((a, b) => a - b);
    expect(new Set(acknowledgedIds).size).toBe(SENDS);

    // Read back through the use cases the routes call: by position, then by id.
    const listed = await listEveryMessage(useCases, user.id, session.id);
    for (const total of listed.totals) expect(total).toBe(SENDS);
    const scrolled = await scrollEveryMessage(useCases, user.id, session.id);

    for (const messages of [listed.items, scrolled]) {
      const ids = messages.map((message) => message.id);
      expect(ids).toHaveLength(SENDS);
      for (let i = 1; i < ids.length; i += 1) expect(ids[i]).toBeGreaterThan(ids[i - 1] ?? Infinity);
      // Exactly the acknowledged messages: none lost, none stored twice, none extra.
      expect(ids).toEqual(acknowledgedIds);
      expect([...messages.map((message) => message.text)].sort()).toEqual([...texts].sort());
    }

    const view = await useCases.getSession.execute({ userId: user.id, sessionId: session.id, perPage: 1 });
    expect(view.session.messageCount).toBe(SENDS);
    expect(view.messages.pagination.total).toBe(SENDS);

    // And each committed message was announced once.
    const announced = events.events.flatMap((event) => (event.type === 'message.created' ? [event.message.id] : []));
    expect(announced.sort((a, b) => a - b)).toEqual(acknowledgedIds);
  });

  it('when messages are sent and deleted at once in two sessions, each delete counts once, every send counts, and the counters follow the live messages', async () => {
    const ROUNDS = 100;
    const { useCases, events } = app;
    const { user } = await useCases.registerUser.execute({
      username: 'deleter',
      email: 'deleter@example.com',
      password: 'Deleter-Passw0rd',
    });
    // Two sessions whose messages sit side by side in messages_session_live_index, so that locks
    // taken at the end of one session's range meet the other's writes.
    const sessions = [
      await useCases.createSession.execute({ userId: user.id, title: 'One' }),
      await useCases.createSession.execute({ userId: user.id, title: 'Two' }),
    ];
    const existing = new Map<number, MessageView[]>();
    for (const session of sessions) {
      const sent: MessageView[] = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        sent.push(await useCases.sendMessage.execute({ userId: user.id, sessionId: session.id, text: `old ${i}` }));
      }
      existing.set(session.id, sent);
    }
    events.clear();

    // Per session: ROUNDS new messages, every other old message deleted, and the newest old
    // message deleted three times over; all of it started at once, interleaved.
    const writes: Array<() => Promise<unknown>> = [];
    for (const session of sessions) {
      const old = existing.get(session.id) ?? [];
      const doomed = old.filter((_, i) => i % 2 === 1);
      const newest = old.at(-1);
      for (let i = 0; i < ROUNDS; i += 1) {
        writes.push(() => useCases.sendMessage.execute({ userId: user.id, sessionId: session.id, text: `new ${i}` }));
        const message = doomed[i];
        if (message) writes.push(() => useCases.deleteMessage.execute({ userId: user.id, sessionId: session.id, messageId: message.id }));
      }
      for (let i = 0; i < 2; i += 1) {
        writes.push(() => useCases.deleteMessage.execute({ userId: user.id, sessionId: session.id, messageId: newest?.id ?? 0 }));
      }
    }
    const outcomes = await Promise.allSettled(writes.map((write) => write()));

    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [describeFailure(outcome.reason)] : []));
    // The newest old message is in `doomed` too: of its three deletes, exactly one wins.
    expect(failures).toEqual(Array.from({ length: 2 * sessions.length }, () => 'NotFoundError: Message not found'));
    for (const session of sessions) {
      const listed = await listEveryMessage(useCases, user.id, session.id);
      const old = existing.get(session.id) ?? [];
      expect(listed.items).toHaveLength(ROUNDS + ROUNDS / 2);
      expect(listed.items.filter((message) => message.text.startsWith('old '))).toEqual(old.filter((_, i) => i % 2 === 0));
      for (const total of listed.totals) expect(total).toBe(ROUNDS + ROUNDS / 2);
      const view = await useCases.getSession.execute({ userId: user.id, sessionId: session.id, perPage: 1 });
      expect(view.session.messageCount).toBe(ROUNDS + ROUNDS / 2);
      expect(view.session.lastMessageAt).toEqual(listed.items.at(-1)?.createdAt);
    }
    const deletedEvents = events.events.flatMap((event) => (event.type === 'message.deleted' ? [event.messageId] : []));
    expect(deletedEvents).toHaveLength(sessions.length * (ROUNDS / 2));
    expect(new Set(deletedEvents).size).toBe(deletedEvents.length);
  });
});
