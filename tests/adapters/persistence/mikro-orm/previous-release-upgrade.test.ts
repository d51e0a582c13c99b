import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { Migrator } from '@mikro-orm/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mikroOrmOptions } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-options.js';
import { mysqlMigrations } from '../../../../src/adapters/persistence/mikro-orm/migrations/mysql-migrations.js';
import { sqliteMigrations } from '../../../../src/adapters/persistence/mikro-orm/migrations/sqlite-migrations.js';
import { openMikroOrmPersistence } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import type { DatabaseOptions } from '../../../../src/configuration/database-options.js';
import { at, HOUR, SECOND } from '../../../support/builders.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';

/** The last migration of the release before conversations (parents, client ids, streaming, revisions). */
const PREVIOUS_RELEASE = { mysql: 'Migration20261124100144_initial', sqlite: 'Migration20261124100146_initial' } as const;

const OWNER = '5d0c8a1e-0000-4000-8000-000000000001';
const TEXTS = ['Hello 👋🏽 — 你好', `it's "quoted"; DROP TABLE users; --`, 'deleted later', 'the newest\nwith a newline'];

/**
 * A database as the previous release left it: its migrations only, and rows written with its
 * columns only (one user, one session of four messages, the third deleted; one empty session).
 * Answers the ids of the two sessions and the messages.
 */
const givenPreviousReleaseDatabase = async (options: DatabaseOptions) => {
  const orm = await MikroORM.init(mikroOrmOptions(options));
  try {
    await orm.getMigrator<Migrator>().up({ to: PREVIOUS_RELEASE[options.kind] });
    const connection = orm.em.getConnection();
    const date = (offsetMs: number): unknown => orm.em.getPlatform().processDateProperty(at(offsetMs));
    await connection.execute(
      'INSERT INTO users (id, username, email, password_hash, created_at, updated_at, is_active, is_verified) VALUES (?, ?, ?, ?, ?, ?, 1, 0)',
      [OWNER, 'old_timer', 'old@example.com', '$2b$12$hash', date(0), date(0)],
    );
    const sessionIds: number[] = [];
    for (const [title, count] of [['Old chat', 3], ['Empty', 0]] as const) {
      await connection.execute(
        'INSERT INTO chat_sessions (title, user_id, created_at, updated_at, is_active, message_count, last_message_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
        [title, OWNER, date(0), date(HOUR), count, count > 0 ? date(HOUR + 3 * SECOND) : null],
      );
      const [row] = (await connection.execute('SELECT MAX(id) AS id FROM chat_sessions')) as Array<{ id: number }>;
      sessionIds.push(Number(row?.id));
    }
    const [sessionId] = sessionIds;
    const messageIds: number[] = [];
    for (const [i, text] of TEXTS.entries()) {
      await connection.execute(
        'INSERT INTO messages (text, sender, session_id, created_at, updated_at, is_deleted) VALUES (?, ?, ?, ?, ?, ?)',
        [text, i % 2 === 0 ? 'user' : 'assistant', sessionId, date(HOUR + i * SECOND), date(HOUR + i * SECOND), i === 2 ? 1 : 0],
      );
      const [row] = (await connection.execute('SELECT MAX(id) AS id FROM messages')) as Array<{ id: number }>;
      messageIds.push(Number(row?.id));
    }
    return { sessionId: Number(sessionId), emptySessionId: Number(sessionIds[1]), messageIds };
  } finally {
    await orm.close(true);
  }
};

const describeUpgrade = (options: () => DatabaseOptions, migrationNames: () => string[]) => {
  it("when a database of the previous release is migrated, its messages are intact, complete, with no parent, and each session's last message is its newest live one", async () => {
    const { sessionId, emptySessionId, messageIds } = await givenPreviousReleaseDatabase(options());

    const persistence = await openMikroOrmPersistence(options(), { migrate: true });
    try {
      const names = migrationNames();
      expect(persistence.appliedMigrations).toEqual(names.slice(names.indexOf(PREVIOUS_RELEASE[options().kind]) + 1));
      expect(persistence.appliedMigrations.length).toBeGreaterThan(0);

      const page = await persistence.messages.pageOfSession(sessionId, OWNER, { offset: 0, limit: 10 });
      const live = [0, 1, 3];
      expect(page).toEqual({
        total: 3,
        items: live.map((i) => ({
          id: messageIds[i],
          sessionId,
          parentId: null,
          clientId: null,
          text: TEXTS[i],
          sender: i % 2 === 0 ? 'user' : 'assistant',
          status: 'complete',
          metadata: null,
          editedAt: null,
          createdAt: at(HOUR + i * SECOND),
          updatedAt: at(HOUR + i * SECOND),
        })),
      });
      expect(await persistence.messages.findInSession(messageIds[2] as number, sessionId)).toBeNull();
      expect(await persistence.messages.revisionsOf(messageIds[0] as number)).toEqual([]);
      expect(await persistence.sessions.findOwned(sessionId, OWNER)).toMatchObject({
        messageCount: 3,
        lastMessageAt: at(HOUR + 3 * SECOND),
        lastMessageId: messageIds[3],
      });
      expect(await persistence.sessions.findOwned(emptySessionId, OWNER)).toMatchObject({ messageCount: 0, lastMessageId: null });
    } finally {
      await persistence.close();
    }
  });
};

describe('SQLite: upgrading a database of the previous release', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'chat-upgrade-'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  describeUpgrade(
    () => ({ kind: 'sqlite', path: join(directory, 'chat.sqlite') }),
    () => sqliteMigrations.map((migration) => migration.name),
  );
});

describeWithMySql('MySQL: upgrading a database of the previous release', () => {
  let database: MySqlTestDatabase;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  describeUpgrade(
    () => database.options,
    () => mysqlMigrations.map((migration) => migration.name),
  );
});
