import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';
import { realUseCasesOver, type RealUseCases } from '../../../support/real-use-cases.js';

const RETRIES = 20;
const APPENDS = 500;

describeWithMySql('MySQL: retried sends and streamed appends racing on one session, through the real use cases', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;
  let app: RealUseCases;

  beforeAll(async () => {
    // Every call queues for 10 connections and then for the session's row lock: correctness, not pool sizing.
    database = await createMySqlTestDatabase({ max: 10, acquireTimeoutMs: 120_000 });
    storage = await openMikroOrmFixture(database.options);
    app = realUseCasesOver(storage);
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  const givenSession = async (name: string) => {
    const { user } = await app.useCases.registerUser.execute({ username: name, email: `${name}@example.com`, password: 'Racer-Passw0rd' });
    const session = await app.useCases.createSession.execute({ userId: user.id, title: name });
    return { userId: user.id, sessionId: session.id };
  };

  it(`when ${RETRIES} sends with one client id arrive at once, one message is stored, every answer carries it, one is new and the rest replays; another text with that id is a conflict`, async () => {
    const { userId, sessionId } = await givenSession('retrier');

    const answers = await Promise.all(
      Array.from({ length: RETRIES }, () => app.useCases.sendMessage.execute({ userId, sessionId, text: 'Sent once', clientId: 'phone-42' })),
    );

    const stored = await app.useCases.listMessages.execute({ userId, sessionId });
    expect(stored.items).toHaveLength(1);
    expect(stored.pagination.total).toBe(1);
    const [message] = stored.items;
    expect(new Set(answers.map((answer) => answer.id))).toEqual(new Set([message?.id]));
    expect(answers.filter((answer) => answer.replayed === undefined)).toHaveLength(1);
    expect(answers.filter((answer) => answer.replayed === true)).toHaveLength(RETRIES - 1);
    expect(app.events.events.filter((event) => event.type === 'message.created' && event.sessionId === sessionId)).toHaveLength(1);
    await expect(app.useCases.sendMessage.execute({ userId, sessionId, text: 'Something else', clientId: 'phone-42' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'client_id_conflict',
    });
  });

  it(`when ${APPENDS} appends from two writers arrive at once, the text is one whose length is the sum of them all`, async () => {
    const { userId, sessionId } = await givenSession('streamer');
    const message = await app.useCases.sendMessage.execute({ userId, sessionId, text: '', sender: 'assistant', status: 'streaming' });
    const writer = (piece: string) =>
      Array.from({ length: APPENDS / 2 }, () => app.useCases.appendToMessage.execute({ userId, sessionId, messageId: message.id, text: piece }));

    const answers = await Promise.all([...writer('ab'), ...writer('c')]);

    const [stored] = (await app.useCases.listMessages.execute({ userId, sessionId })).items;
    expect(stored?.text).toHaveLength((APPENDS / 2) * 3);
    expect(stored?.text.replace(/ab/g, '')).toBe('c'.repeat(APPENDS / 2));
    // Each answer is the text as its append left it: every length from 1 piece to all of them, once.
    expect(new Set(answers.map((answer) => answer.text.length)).size).toBe(APPENDS);
  });
});
