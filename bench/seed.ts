/**
 * Fills the schema the server's migrations made, straight into the tables with multi-row INSERTs
 * (seconds, not the hours a million API calls would take). The session counters
 * (`message_count`, `last_message_at`, `last_message_id`) are written to match the messages, as
 * the server's own writes keep them.
 */
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { SqlClient } from './sql-client.js';

export interface SeedPlan {
  readonly users: number;
  readonly sessionsPerUser: number;
  /** Messages of the long session (the first user's first session). */
  readonly longMessages: number;
  /** Messages of the short session (the first user's second session). */
  readonly shortMessages: number;
}

export const FULL_SEED: SeedPlan = { users: 1_000, sessionsPerUser: 10, longMessages: 1_000_000, shortMessages: 1_000 };

export interface SeededUser {
  readonly id: string;
  readonly username: string;
  /** Its sessions' ids, oldest first. */
  readonly sessionIds: readonly number[];
}

export interface Seeded {
  readonly users: readonly SeededUser[];
  readonly password: string;
  readonly longSessionId: number;
  readonly shortSessionId: number;
  readonly plan: SeedPlan;
  readonly ms: number;
}

export const BENCH_PASSWORD = 'Bench-Password-2026!';
/** Users below this index are the scenarios' actors; from it on, the login storm's accounts. */
export const TOKEN_USERS = 100;
const ROWS_PER_INSERT = 5_000;
const DAY_MS = 86_400_000;

/** A column value as each driver stores a date: `datetime(3)` text on MySQL, epoch ms on SQLite (MikroORM's platform). */
const dateValue = (dialect: SqlClient['dialect'], ms: number): string | number =>
  dialect === 'mysql' ? new Date(ms).toISOString().slice(0, 23).replace('T', ' ') : ms;

/** Inserts `count` rows made by `row(i)`, `ROWS_PER_INSERT` to a statement. */
const bulkInsert = async (
  db: SqlClient,
  table: string,
  columns: readonly string[],
  count: number,
  row: (index: number) => readonly unknown[],
): Promise<void> => {
  // SQLite caps a statement's parameters (32,766); MySQL only the packet size.
  const perInsert = db.dialect === 'sqlite' ? Math.floor(32_000 / columns.length) : ROWS_PER_INSERT;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < count; start += perInsert) {
    const size = Math.min(perInsert, count - start);
    const params: unknown[] = [];
    for (let index = start; index < start + size; index += 1) params.push(...row(index));
    await db.execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(size).fill(tuple).join(', ')}`, params);
  }
};

export const seed = async (db: SqlClient, plan: SeedPlan): Promise<Seeded> => {
  const started = performance.now();
  // Cost 12 (the server's default) for the accounts whose logins are measured (the login storm's);
  // the first TOKEN_USERS log in only to get tokens, so theirs is cost 4 and the setup takes seconds.
  const [stormHash, tokenHash] = await Promise.all([bcrypt.hash(BENCH_PASSWORD, 12), bcrypt.hash(BENCH_PASSWORD, 4)]);
  const origin = Date.now() - 30 * DAY_MS;
  const at = (ms: number) => dateValue(db.dialect, origin + ms);

  const users: SeededUser[] = Array.from({ length: plan.users }, (_, index) => ({
    id: randomUUID(),
    username: `bench_${String(index).padStart(4, '0')}`,
    sessionIds: Array.from({ length: plan.sessionsPerUser }, (__, s) => index * plan.sessionsPerUser + s + 1),
  }));
  const longSessionId = 1;
  const shortSessionId = 2;
  // Message ids: the long session's first, then the short one's, each a chain of answers.
  const longFirst = 1;
  const shortFirst = plan.longMessages + 1;
  const messageAt = (id: number) => id * 1000;

  const work = async (client: SqlClient) => {
    await bulkInsert(client, 'users', ['id', 'username', 'email', 'password_hash', 'created_at', 'updated_at', 'is_active', 'is_verified'], users.length, (i) => {
      const user = users[i]!;
      return [user.id, user.username, `${user.username}@bench.example`, i < TOKEN_USERS ? tokenHash : stormHash, at(0), at(0), 1, 0];
    });
    const sessions = plan.users * plan.sessionsPerUser;
    const counters = (id: number): [number, string | number | null, number | null] => {
      if (id === longSessionId) return [plan.longMessages, at(messageAt(shortFirst - 1)), shortFirst - 1];
      if (id === shortSessionId) return [plan.shortMessages, at(messageAt(shortFirst + plan.shortMessages - 1)), shortFirst + plan.shortMessages - 1];
      return [0, null, null];
    };
    await bulkInsert(
      client,
      'chat_sessions',
      ['id', 'title', 'user_id', 'created_at', 'updated_at', 'is_active', 'message_count', 'last_message_at', 'last_message_id'],
      sessions,
      (i) => {
        const id = i + 1;
        const [count, lastAt, lastId] = counters(id);
        const updated = lastAt ?? at(id);
        return [id, `Bench session ${id}`, users[Math.floor(i / plan.sessionsPerUser)]!.id, at(0), updated, 1, count, lastAt, lastId];
      },
    );
    const messageColumns = ['id', 'text', 'sender', 'session_id', 'parent_id', 'status', 'created_at', 'updated_at', 'is_deleted'];
    const messageRow = (sessionId: number, first: number) => (i: number) => {
      const id = first + i;
      return [id, `Seeded message ${id}: the quick brown fox jumps over the lazy dog.`, i % 2 === 0 ? 'user' : 'assistant', sessionId, i === 0 ? null : id - 1, 'complete', at(messageAt(id)), at(messageAt(id)), 0];
    };
    await bulkInsert(client, 'messages', messageColumns, plan.longMessages, messageRow(longSessionId, longFirst));
    await bulkInsert(client, 'messages', messageColumns, plan.shortMessages, messageRow(shortSessionId, shortFirst));
  };

  if (db.dialect === 'mysql') {
    // The rows are consistent by construction; checking each key as it lands only slows the load.
    await db.transaction(async (client) => {
      await client.execute('SET foreign_key_checks = 0, unique_checks = 0');
      await work(client);
      await client.execute('SET foreign_key_checks = 1, unique_checks = 1');
    });
  } else {
    await db.transaction(work);
  }
  return { users, password: BENCH_PASSWORD, longSessionId, shortSessionId, plan, ms: performance.now() - started };
};
