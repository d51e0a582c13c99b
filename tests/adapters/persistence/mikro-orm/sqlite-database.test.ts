import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateDatabase } from '../../../../src/adapters/persistence/mikro-orm/migrate-database.js';
import { sqliteMigrations } from '../../../../src/adapters/persistence/mikro-orm/migrations/sqlite-migrations.js';
import { aMessage, aSession, aUser } from '../../../support/builders.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

describe('the embedded SQLite database', () => {
  let directory: string;
  let path: string;
  let storage: MikroOrmFixture;

  const execute = (sql: string) => storage.orm.em.getConnection().execute(sql) as Promise<Record<string, unknown>[]>;
  const schema = async () => (await execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")) as unknown;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'chat-sqlite-'));
    // A directory that does not exist yet: the default ./data/chat.sqlite must work on a fresh clone.
    path = join(directory, 'nested', 'data', 'chat.sqlite');
    storage = await openMikroOrmFixture({ kind: 'sqlite', path });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    await storage?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('when opened on a path whose directory is missing, the directory and the file are created', () => {
    expect(existsSync(path)).toBe(true);
  });

  it('when migrated a second and a third time, nothing runs and the schema is unchanged', async () => {
    const before = await schema();
    const applied = await execute('SELECT name FROM mikro_orm_migrations ORDER BY id');

    expect(await migrateDatabase({ kind: 'sqlite', path })).toEqual([]);
    expect(await migrateDatabase({ kind: 'sqlite', path })).toEqual([]);

    expect(await schema()).toEqual(before);
    expect(applied.map((row) => row['name'])).toEqual(sqliteMigrations.map((migration) => migration.name));
  });

  it('when the schema is read, usernames and emails compare without regard to case', async () => {
    const [users] = (await execute("SELECT sql FROM sqlite_master WHERE name = 'users'")) as { sql: string }[];

    expect(users?.sql).toMatch(/`username` text not null collate nocase/i);
    expect(users?.sql).toMatch(/`email` text not null collate nocase/i);
  });

  it('when libsql replaces its connection (it does every 10 s), the new one still enforces foreign keys and cascades', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const session = aSession({ userId: owner.id });
    await storage.sessions.add(session);
    await storage.messages.add(aMessage({ sessionId: session.id }));

    // libsql's pool judges a connection by its age; move the clock instead of waiting.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    const [pragma] = await execute('PRAGMA foreign_keys');
    await storage.users.delete(owner.id);

    expect(pragma).toEqual({ foreign_keys: 1 });
    const [left] = await execute(`SELECT COUNT(*) AS n FROM messages WHERE session_id = ${session.id}`);
    expect(left).toEqual({ n: 0 });
    await expect(storage.sessions.add(aSession({ userId: owner.id }))).rejects.toThrow();
  });

  it('when the read queries and the writes that keep the counters run, each searches an index: no table scan, no sort', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const session = aSession({ userId: owner.id });
    await storage.sessions.add(session);
    const added = [];
    for (let i = 0; i < 30; i += 1) {
      const message = aMessage({ sessionId: session.id });
      await storage.messages.add(message);
      added.push(message);
    }
    await execute('ANALYZE');
    const captured: string[] = [];
    const platform = storage.orm.em.getPlatform();
    storage.orm.config.set('onQuery', (sql: string, params: unknown[]) => {
      captured.push(platform.formatQuery(sql, params));
      return sql;
    });

    try {
      await storage.messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 });
      await storage.messages.sliceOfSession(session.id, owner.id, { beforeId: 1_000_000, limit: 10 });
      await storage.messages.sliceOfSession(session.id, owner.id, { afterId: 0, limit: 10 });
      await storage.messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 });
      await storage.messages.add(aMessage({ sessionId: session.id }));
      await storage.messages.deleteInSession(added[10]!.id, session.id, new Date());
      await storage.messages.deleteAllInSession(session.id, new Date());
      await storage.sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 10 });
      await storage.sessions.findViewOwned(session.id, owner.id);
      await storage.users.findByUsername(owner.username.toUpperCase());
      await storage.users.findByEmail(owner.email.toUpperCase());
    } finally {
      storage.orm.config.set('onQuery', (sql: string) => sql);
    }

    const statements = captured.filter((sql) => /^\s*(select|update)/i.test(sql));
    // Eight reads, and the session's UPDATE (with its subqueries) and the messages' of each write.
    expect(statements.length).toBeGreaterThanOrEqual(13);
    for (const sql of statements) {
      const plan = (await execute(`EXPLAIN QUERY PLAN ${sql}`)).map((row) => String(row['detail']));
      const context = `${sql}\n${plan.join('\n')}`;
      // SCAN of a subquery's own small result (m, s, c) is fine; a SCAN of a table is not.
      expect(plan.some((step) => /^SCAN (users|logins|chat_sessions|messages)\b/.test(step)), context).toBe(false);
      expect(plan.some((step) => /TEMP B-TREE/.test(step)), context).toBe(false);
    }
  });
});
