import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessionNotFound } from '../../../../src/domain/domain-error.js';
import { Message } from '../../../../src/domain/message.entity.js';
import { aSession, aUser } from '../../../support/builders.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

const SENDS = 500;

describeWithMySql('MySQL: concurrent sends to one session', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;

  beforeAll(async () => {
    // 500 transactions queue for 10 connections and then for the session's row lock; the wait for a
    // connection is long here because this test is about correctness, not about pool sizing.
    database = await createMySqlTestDatabase({ max: 10, acquireTimeoutMs: 120_000 });
    storage = await openMikroOrmFixture(database.options);
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it(`when ${SENDS} messages are sent at once the way SendMessage does, each is stored once, ids rise, and the count is ${SENDS}`, async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const session = aSession({ userId: owner.id });
    await storage.sessions.add(session);
    const started = Date.now();

    // The use case's own sequence: lock the session row first (the message insert's foreign-key
    // check would otherwise take a shared lock that the session update then has to upgrade, and
    // concurrent senders deadlock), insert, record, save.
    const send = (index: number) =>
      storage.transactions.run(async () => {
        const locked = await storage.sessions.findOwned(session.id, owner.id, { lock: true });
        if (!locked) throw sessionNotFound();
        const message = Message.create({ sessionId: session.id, text: `message ${index}`, sender: 'user', now: new Date(started + index) });
        await storage.messages.add(message);
        locked.recordMessage(message.createdAt);
        await storage.sessions.save(locked);
        return message.id;
      });

    const outcomes = await Promise.allSettled(Array.from({ length: SENDS }, (_, index) => send(index)));

    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(failures).toEqual([]);
    const acknowledged = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(new Set(acknowledged).size).toBe(SENDS);

    const page = await storage.messages.pageOfSession(session.id, owner.id, { offset: 0, limit: SENDS + 10 });
    const ids = page?.items.map((item) => item.id) ?? [];
    expect(page?.total).toBe(SENDS);
    expect(ids).toHaveLength(SENDS);
    expect(new Set(ids).size).toBe(SENDS);
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]).toBeGreaterThan(ids[i - 1] ?? Infinity);
    expect([...ids].sort((a, b) => a - b)).toEqual([...acknowledged].sort((a, b) => a - b));
    // Every text exactly once: no send was lost or stored twice.
    expect(new Set(page?.items.map((item) => item.text)).size).toBe(SENDS);

    const view = await storage.sessions.findViewOwned(session.id, owner.id);
    expect(view?.messageCount).toBe(SENDS);
  });
});
