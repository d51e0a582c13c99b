import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MikroOrmPersistence, openMikroOrmPersistence } from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import type { DatabaseOptions } from '../../../../src/configuration/database-options.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';

/** One index as `table.name: col1,col2 (unique)`, the same text from either side. */
type IndexLine = string;

/** The indexes the entity schemas declare, named and in column order, as the migrations must create them. */
const declaredIndexes = (persistence: MikroOrmPersistence): IndexLine[] =>
  Object.values(persistence.orm.getMetadata().getAll()).flatMap((meta) => {
    const columnsOf = (properties: unknown): string =>
      [properties]
        .flat()
        .flatMap((property) => meta.properties[String(property) as keyof typeof meta.properties]?.fieldNames ?? [`?${String(property)}`])
        .join(',');
    return [
      ...meta.indexes.map((index) => `${meta.tableName}.${String(index.name)}: ${columnsOf(index.properties)}`),
      ...meta.uniques.map((unique) => `${meta.tableName}.${String(unique.name)}: ${columnsOf(unique.properties)} (unique)`),
    ];
  });

/** The indexes the migrated database has, besides primary keys (and SQLite's own for them). */
const migratedIndexes = async (persistence: MikroOrmPersistence, kind: DatabaseOptions['kind']): Promise<IndexLine[]> => {
  const connection = persistence.orm.em.getConnection();
  if (kind === 'mysql') {
    const rows = (await connection.execute(
      `SELECT TABLE_NAME AS t, INDEX_NAME AS i, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS c, MIN(NON_UNIQUE) AS n
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME <> 'mikro_orm_migrations'
        GROUP BY TABLE_NAME, INDEX_NAME`,
    )) as Array<{ t: string; i: string; c: string; n: number | string }>;
    return rows.map((row) => `${row.t}.${row.i}: ${row.c}${Number(row.n) === 0 ? ' (unique)' : ''}`);
  }
  const indexes = (await connection.execute(
    "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name <> 'mikro_orm_migrations'",
  )) as Array<{ name: string; tbl_name: string }>;
  const lines: IndexLine[] = [];
  for (const index of indexes) {
    const columns = (await connection.execute(`SELECT name FROM pragma_index_info('${index.name}') ORDER BY seqno`)) as Array<{ name: string }>;
    const [list] = (await connection.execute(`SELECT "unique" AS u FROM pragma_index_list('${index.tbl_name}') WHERE name = '${index.name}'`)) as Array<{ u: number }>;
    lines.push(`${index.tbl_name}.${index.name}: ${columns.map((column) => column.name).join(',')}${Number(list?.u) === 1 ? ' (unique)' : ''}`);
  }
  return lines;
};

/**
 * The entity schemas and the migrations are written apart (a migration by hand or by the CLI); if
 * an index is declared in one and not created by the other, queries lose the plan they were
 * written for on one driver only. Every index the schemas declare is in the migrated database, with
 * its columns in order, and the database has no other.
 */
const describeSchemaAgreement = (kind: DatabaseOptions['kind'], open: () => Promise<{ options: DatabaseOptions; remove(): Promise<void> }>) => {
  let persistence: MikroOrmPersistence;
  let database: { remove(): Promise<void> } | undefined;

  beforeAll(async () => {
    const opened = await open();
    database = opened;
    persistence = await openMikroOrmPersistence(opened.options, { migrate: true });
  });
  afterAll(async () => {
    await persistence?.close();
    await database?.remove();
  });

  it('when migrated, the database has exactly the indexes the entity schemas declare, column for column', async () => {
    const declared = declaredIndexes(persistence);

    expect(declared.length).toBeGreaterThan(5);
    expect(declared).toContain('messages.messages_stream_idle_index: status,is_deleted,updated_at');
    expect((await migratedIndexes(persistence, kind)).sort()).toEqual(declared.sort());
  });
};

describe('schema and migrations agree on indexes (sqlite)', () => {
  describeSchemaAgreement('sqlite', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'chat-schema-indexes-'));
    return {
      options: { kind: 'sqlite', path: join(directory, 'chat.sqlite') },
      remove: async () => rmSync(directory, { recursive: true, force: true }),
    };
  });
});

describeWithMySql('schema and migrations agree on indexes (mysql)', () => {
  describeSchemaAgreement('mysql', async () => {
    const database: MySqlTestDatabase = await createMySqlTestDatabase();
    return { options: database.options, remove: () => database.drop() };
  });
});
