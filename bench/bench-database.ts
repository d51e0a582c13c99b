/** The database of a run: a fresh `chat_bench` on the MySQL server, or a temporary SQLite file. */
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { openMySqlClient, openSqliteClient, type SqlClient } from './sql-client.js';

export interface BenchDatabase {
  /** The server's variables for it. */
  readonly serverEnv: Record<string, string>;
  /** What the floor's FLOOR_DATABASE is set to. */
  readonly floorTarget: string;
  /** e.g. `MariaDB 10.11.19 (127.0.0.1:3306/chat_bench)`. */
  readonly label: string;
  /** A client for the seed: one connection, so its session settings hold for every statement. */
  connect(): SqlClient;
}

export const BENCH_DATABASE = 'chat_bench';

export const openBenchDatabase = async (options: { sqlite: boolean; mysqlUrl: string; dir: string }): Promise<BenchDatabase> => {
  if (options.sqlite) {
    const path = join(options.dir, 'bench.sqlite');
    const probe = openSqliteClient(':memory:');
    const [row] = await probe.rows('SELECT sqlite_version() AS version');
    await probe.close();
    return {
      serverEnv: { SQLITE_PATH: path },
      floorTarget: path,
      label: `SQLite ${String(row?.['version'])} via libsql (temporary file)`,
      connect: () => openSqliteClient(path),
    };
  }
  const server = new URL(options.mysqlUrl);
  server.pathname = '';
  const admin = await mysql.createConnection({ uri: server.toString() });
  let version: string;
  try {
    // Fresh every run: what earlier runs sent must not weigh on this one.
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE}`);
    await admin.query(`CREATE DATABASE ${BENCH_DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [rows] = await admin.query('SELECT VERSION() AS version');
    version = String((rows as Array<{ version: string }>)[0]?.version);
  } finally {
    await admin.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${BENCH_DATABASE}`;
  const kind = /mariadb/i.test(version) ? 'MariaDB' : 'MySQL';
  return {
    serverEnv: { DATABASE_URL: url.toString() },
    floorTarget: url.toString(),
    label: `${kind} ${version} (${url.host}/${BENCH_DATABASE})`,
    connect: () => openMySqlClient(url.toString(), 1),
  };
};
