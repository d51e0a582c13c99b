import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../../../src/adapters/persistence/mikro-orm/migrate-database.js';
import { mysqlMigrations } from '../../../../src/adapters/persistence/mikro-orm/migrations/mysql-migrations.js';
import { openMikroOrmPersistence } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { withMySqlServer } from '../../../../src/adapters/persistence/mikro-orm/with-mysql-server.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';

/** MariaDB and MySQL 5.7 show a display width, MySQL 8 does not. */
const UNSIGNED_BIGINT = expect.stringMatching(/^bigint(\(20\))? unsigned$/);

const TABLES = ['users', 'logins', 'chat_sessions', 'messages', 'message_revisions'] as const;

describeWithMySql('MySQL: migrations', () => {
  let database: MySqlTestDatabase;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  /** Runs `sql` on the server, its one `?` being the test database's name. */
  const query = (sql: string) => withMySqlServer(database.options, (server) => server.execute(sql, [database.options.database]));

  /** Everything about the schema a migration could change. */
  const schema = () =>
    withMySqlServer(database.options, async (server) => {
      const tables: Record<string, unknown> = {};
      for (const table of TABLES) {
        const [row] = await server.execute(`SHOW CREATE TABLE ${server.quoteIdentifier(database.options.database)}.${table}`);
        // The AUTO_INCREMENT counter is data, not schema.
        tables[table] = String(row?.['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
      }
      const migrations = await server.execute(`SELECT name FROM ${server.quoteIdentifier(database.options.database)}.mikro_orm_migrations ORDER BY id`);
      return { tables, migrations: migrations.map((row) => row['name']) };
    });

  it('when applied to an empty database, every migration runs once, in order', async () => {
    expect(await migrateDatabase(database.options)).toEqual(mysqlMigrations.map((migration) => migration.name));
  });

  it('when applied a second time, and again on opening, nothing runs and the schema is unchanged', async () => {
    const before = await schema();

    expect(await migrateDatabase(database.options)).toEqual([]);
    const persistence = await openMikroOrmPersistence(database.options, { migrate: true });
    await persistence.close();

    expect(await schema()).toEqual(before);
    expect(before.migrations).toEqual(mysqlMigrations.map((migration) => migration.name));
  });

  it('when migrated, the schema is the seed\'s with what production needs: utf8mb4, DATETIME(3), BIGINT ids, cascades, indexes', async () => {
    const columns = await query(
      `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ('users', 'logins', 'chat_sessions', 'messages', 'message_revisions')`,
    );
    const typeOf = Object.fromEntries(columns.map((column) => [column['name'], column['type']]));
    expect(typeOf).toMatchObject({
      'users.id': 'varchar(255)',
      'users.username': 'varchar(80)',
      'users.email': 'varchar(120)',
      'users.created_at': 'datetime(3)',
      'chat_sessions.id': expect.stringMatching(/^int/),
      'chat_sessions.message_count': expect.stringMatching(/^int/),
      'chat_sessions.last_message_at': 'datetime(3)',
      'chat_sessions.last_message_id': UNSIGNED_BIGINT,
      'messages.id': expect.stringMatching(/^bigint/),
      'messages.text': 'mediumtext',
      'messages.sender': 'varchar(10)',
      'messages.updated_at': 'datetime(3)',
      'messages.parent_id': UNSIGNED_BIGINT,
      'messages.client_id': 'varchar(64)',
      'messages.status': 'varchar(10)',
      'messages.edited_at': 'datetime(3)',
      'message_revisions.message_id': UNSIGNED_BIGINT,
      'message_revisions.text': 'mediumtext',
      'message_revisions.created_at': 'datetime(3)',
      'logins.expires_at': 'datetime(3)',
      'logins.previous_refresh_token_hash': 'varchar(255)',
      'logins.sealed_pair': 'text',
      'logins.sealed_pair_expires_at': 'datetime(3)',
    });

    const cascades = await query(
      `SELECT CONCAT(TABLE_NAME, '->', REFERENCED_TABLE_NAME, ':', DELETE_RULE) AS rule FROM information_schema.REFERENTIAL_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME`,
    );
    // Sorted here: the servers' information_schema collations order `message_` and `messages` differently.
    expect(cascades.map((row) => String(row['rule'])).sort()).toEqual([
      'chat_sessions->users:CASCADE',
      'logins->users:CASCADE',
      'message_revisions->messages:CASCADE',
      'messages->chat_sessions:CASCADE',
    ]);

    const indexes = await query(
      `SELECT CONCAT(TABLE_NAME, '.', INDEX_NAME) AS name, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns,
              MIN(NON_UNIQUE) AS non_unique
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND INDEX_NAME <> 'PRIMARY'
        GROUP BY TABLE_NAME, INDEX_NAME ORDER BY TABLE_NAME, INDEX_NAME`,
    );
    const byName = (a: unknown[], b: unknown[]): number => String(a[0]).localeCompare(String(b[0]), 'en');
    expect(indexes.map((row) => [row['name'], row['columns'], Number(row['non_unique'])]).sort(byName)).toEqual([
      ['chat_sessions.chat_sessions_owner_recent_index', 'user_id,is_active,updated_at,id', 1],
      ['logins.logins_user_id_index', 'user_id', 1],
      ['message_revisions.message_revisions_message_index', 'message_id,id', 1],
      ['messages.messages_parent_index', 'parent_id', 1],
      ['messages.messages_session_client_unique', 'session_id,client_id', 0],
      ['messages.messages_session_live_index', 'session_id,is_deleted,id', 1],
      ['users.users_email_unique', 'email', 0],
      ['users.users_username_unique', 'username', 0],
    ]);
  });
});

describeWithMySql('MySQL: migrations started together', () => {
  let database: MySqlTestDatabase;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('when three instances migrate one fresh database at once, the migrations run once and none of them fails', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => migrateDatabase(database.options)));

    const names = mysqlMigrations.map((migration) => migration.name);
    expect(runs.filter((applied) => applied.length > 0)).toEqual([names]);
    expect(runs.filter((applied) => applied.length === 0)).toHaveLength(2);
  });
});
