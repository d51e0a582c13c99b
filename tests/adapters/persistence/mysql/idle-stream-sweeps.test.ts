import { afterAll, beforeAll, expect, it } from 'vitest';
import { RecordingEventPublisher } from '../../../../src/adapters/events/recording.event-publisher.js';
import { ManualClock } from '../../../../src/adapters/system/manual.clock.js';
import { ExpireIdleStreams } from '../../../../src/application/chat/expire-idle-streams.use-case.js';
import type { IdleStream, MessageRepository } from '../../../../src/application/ports/message-repository.port.js';
import type { MessageView } from '../../../../src/application/views/message.view.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';
import { realUseCasesOver, type RealUseCases } from '../../../support/real-use-cases.js';

const SESSIONS = 4;
const STREAMS_PER_SESSION = 10;
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Two instances (two pools, two use cases, two publishers) sweeping one MySQL database at once,
 * while a writer appends to half of the streams: each stream is decided once, by one of them.
 */
describeWithMySql('MySQL: two idle-stream sweeps at once, racing each other and appends', () => {
  let database: MySqlTestDatabase;
  const instances: MikroOrmFixture[] = [];
  let app: RealUseCases;

  beforeAll(async () => {
    database = await createMySqlTestDatabase({ max: 5 });
    instances.push(await openMikroOrmFixture(database.options), await openMikroOrmFixture(database.options));
    app = realUseCasesOver(instances[0] as MikroOrmFixture);
  });

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database?.drop();
  });

  it('when two sweeps read the same candidates and appends arrive meanwhile, each stream is marked at most once, never after an append it answered', async () => {
    const { user } = await app.useCases.registerUser.execute({ username: 'sweeper', email: 'sweeper@example.com', password: 'Sweep-Passw0rd' });
    const streams: MessageView[] = [];
    for (let s = 0; s < SESSIONS; s += 1) {
      const session = await app.useCases.createSession.execute({ userId: user.id, title: `Chat ${s}` });
      for (let m = 0; m < STREAMS_PER_SESSION; m += 1) {
        streams.push(await app.useCases.sendMessage.execute({ userId: user.id, sessionId: session.id, text: '', sender: 'assistant', status: 'streaming' }));
      }
    }
    // The cutoff falls after every stream was created and before any append below is made.
    const newest = Math.max(...streams.map((stream) => stream.updatedAt.getTime()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sweepNow = new Date(newest + 1 + IDLE_TIMEOUT_MS);

    // Neither sweep acts before both have read every candidate.
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sweeps = instances.map((instance) => {
      const events = new RecordingEventPublisher();
      const messages: MessageRepository = new Proxy(instance.messages, {
        get: (target, key) =>
          key === 'idleStreams'
            ? async (idleSince: Date, limit: number): Promise<IdleStream[]> => {
                const found = await target.idleStreams(idleSince, limit);
                if (found.length > 0 && ++arrived === 2) release();
                if (found.length > 0) await bothRead;
                return found;
              }
            : (Reflect.get(target, key) as (...args: unknown[]) => unknown).bind(target),
      });
      const useCase = new ExpireIdleStreams(instance.sessions, messages, new ManualClock(sweepNow), instance.transactions, events, {
        idleTimeoutMs: IDLE_TIMEOUT_MS,
      });
      return { useCase, events };
    });

    const appendedTo = streams.filter((_, i) => i % 2 === 0);
    const [counts, appends] = await Promise.all([
      Promise.all(sweeps.map((sweep) => sweep.useCase.execute())),
      bothRead.then(() =>
        Promise.allSettled(
          appendedTo.map((stream) => app.useCases.appendToMessage.execute({ userId: user.id, sessionId: stream.sessionId, messageId: stream.id, text: 'late' })),
        ),
      ),
    ]);

    const eventsFor = new Map<number, number>();
    for (const { events } of sweeps) {
      for (const event of events.events) {
        expect(event).toMatchObject({ type: 'message.updated', userId: user.id, message: { status: 'incomplete' } });
        if (event.type === 'message.updated') eventsFor.set(event.message.id, (eventsFor.get(event.message.id) ?? 0) + 1);
      }
    }
    expect([...eventsFor.values()].every((count) => count === 1)).toBe(true);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(eventsFor.size);

    const stored = new Map<number, MessageView>();
    for (let s = 0; s < SESSIONS; s += 1) {
      const sessionId = (streams[s * STREAMS_PER_SESSION] as MessageView).sessionId;
      for (const message of (await app.useCases.listMessages.execute({ userId: user.id, sessionId, perPage: 100 })).items) stored.set(message.id, message);
    }
    // Untouched streams are all marked, once; an appended one is either marked (and its append
    // refused as not_streaming) or kept streaming with its append: never both, never neither.
    for (const [i, stream] of streams.entries()) {
      const message = stored.get(stream.id);
      if (i % 2 === 1) {
        expect(message).toMatchObject({ status: 'incomplete', text: '' });
        expect(eventsFor.get(stream.id)).toBe(1);
        continue;
      }
      const append = appends[appendedTo.indexOf(stream)];
      if (append?.status === 'fulfilled') {
        expect(message).toMatchObject({ status: 'streaming', text: 'late' });
        expect(eventsFor.has(stream.id)).toBe(false);
      } else {
        expect(append?.reason).toMatchObject({ code: 'not_streaming' });
        expect(message).toMatchObject({ status: 'incomplete', text: '' });
        expect(eventsFor.get(stream.id)).toBe(1);
      }
    }
  });
});
