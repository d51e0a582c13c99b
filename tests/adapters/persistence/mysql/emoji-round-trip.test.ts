import { afterAll, beforeAll, expect, it } from 'vitest';
import { aLogin, aMessage, aSession, aUser } from '../../../support/builders.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

/** Characters outside the Basic Multilingual Plane: 4 bytes in UTF-8, lost by MySQL's 3-byte `utf8`. */
const FOUR_BYTE = ['😀', '🚀', '𝄞', '𠜎', '🀄', '👨‍👩‍👧‍👦', '🏳️‍🌈', '👋🏽'];
const TEXT = `emoji ${FOUR_BYTE.join(' ')} — BMP too: é ß 你好 ✓`;

describeWithMySql('MySQL: 4-byte characters', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
    storage = await openMikroOrmFixture(database.options);
  });

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  const sql = (query: string, params: unknown[] = []) => storage.orm.em.getConnection().execute(query, params);

  it('when every table is created, it and every text column use utf8mb4', async () => {
    const tables = (await sql(
      `SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('users', 'logins', 'chat_sessions', 'messages')`,
    )) as { name: string; collation: string }[];
    const columns = (await sql(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, CHARACTER_SET_NAME AS charset FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND CHARACTER_SET_NAME IS NOT NULL
          AND TABLE_NAME IN ('users', 'logins', 'chat_sessions', 'messages')`,
    )) as { t: string; c: string; charset: string }[];

    expect(tables).toHaveLength(4);
    for (const table of tables) expect(table.collation).toBe('utf8mb4_unicode_ci');
    expect(columns.length).toBeGreaterThan(10);
    for (const column of columns) expect(`${column.t}.${column.c}=${column.charset}`).toBe(`${column.t}.${column.c}=utf8mb4`);
  });

  it('when a message, a session title and a user agent hold 4-byte characters, they come back exactly', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const session = aSession({ userId: owner.id, title: `🚀 ${'😀'.repeat(200)}` });
    await storage.sessions.add(session);
    const message = aMessage({ sessionId: session.id, text: TEXT });
    await storage.messages.add(message);
    const login = aLogin({ userId: owner.id, userAgent: `Agent ${TEXT}` });
    await storage.logins.add(login);

    expect((await storage.messages.findInSession(message.id, session.id))?.text).toBe(TEXT);
    expect((await storage.messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 1 }))?.items[0]?.text).toBe(TEXT);
    expect((await storage.sessions.findViewOwned(session.id, owner.id))?.title).toBe(session.title);
    expect((await storage.logins.findById(login.id))?.userAgent).toBe(`Agent ${TEXT}`);
  });

  it('when stored, each 4-byte character takes 4 bytes in the column, not a replacement character', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const session = aSession({ userId: owner.id });
    await storage.sessions.add(session);
    const message = aMessage({ sessionId: session.id, text: '😀𝄞' });
    await storage.messages.add(message);

    const [row] = (await sql('SELECT CHAR_LENGTH(text) AS chars, LENGTH(text) AS bytes, HEX(text) AS hex FROM messages WHERE id = ?', [
      message.id,
    ])) as { chars: number; bytes: number; hex: string }[];

    expect(row).toEqual({ chars: 2, bytes: 8, hex: Buffer.from('😀𝄞').toString('hex').toUpperCase() });
  });

  it('when 5000 emoji are sent, all 20,000 bytes are kept', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const session = aSession({ userId: owner.id });
    await storage.sessions.add(session);
    const text = '👋'.repeat(5000);
    const message = aMessage({ sessionId: session.id, text });
    await storage.messages.add(message);

    expect((await storage.messages.findInSession(message.id, session.id))?.text).toBe(text);
  });
});
