import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Message } from '../../../../src/domain/message.entity.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

const BIG_SESSION_MESSAGES = 100_000;
const OWNERS = 200;
const SESSIONS_PER_OWNER = 10;
const INSERT_BATCH = 5_000;
const LIMIT = 50;
const DAY_MS = 24 * 60 * 60 * 1_000;

interface ExplainRow {
  table: string;
  type: string | null;
  key: string | null;
  Extra: string | null;
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/**
 * The reads the API makes, and the writes that keep a session's counters, on a session of 100,000
 * messages among 2,000 sessions: each statement the repositories really send is captured and
 * EXPLAINed, and the rows the server actually touches are counted, so "uses its index" means "does
 * not grow with the session".
 */
describeWithMySql('MySQL: the read queries and the counters\' writes use their indexes', () => {
  let database: MySqlTestDatabase;
  let storage: MikroOrmFixture;
  let owner: string;
  let bigSession: number;
  let middleId: number;
  const captured: string[] = [];

  const execute = (sql: string) => storage.orm.em.getConnection().execute(sql) as Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
    storage = await openMikroOrmFixture(database.options);
    const base = Date.UTC(2026, 0, 1);

    const owners = Array.from({ length: OWNERS }, () => randomUUID());
    [owner] = owners as [string];
    await execute(
      `INSERT INTO users (id, username, email, password_hash, created_at, updated_at, is_active, is_verified) VALUES ${owners
        .map((id, i) => `('${id}', 'owner_${i}', 'owner${i}@example.com', 'hash', '${stamp(base)}', '${stamp(base)}', 1, 0)`)
        .join(', ')}`,
    );
    await execute(
      `INSERT INTO chat_sessions (title, user_id, created_at, updated_at, is_active, message_count) VALUES ${owners
        .flatMap((id, i) =>
          Array.from({ length: SESSIONS_PER_OWNER }, (_, j) => {
            const at = stamp(base + (i * SESSIONS_PER_OWNER + j) * 1_000);
            return `('Chat ${i}.${j}', '${id}', '${at}', '${at}', ${j % 5 === 4 ? 0 : 1}, 0)`;
          }),
        )
        .join(', ')}`,
    );
    const [first] = await execute(`SELECT MIN(id) AS id FROM chat_sessions WHERE user_id = '${owner}' AND is_active = 1`);
    bigSession = Number(first?.['id']);

    // Other sessions' messages interleave with the big one's, as they would on a live server.
    const others = await execute(`SELECT id FROM chat_sessions WHERE id <> ${bigSession} ORDER BY id LIMIT 100`);
    for (let start = 0; start < BIG_SESSION_MESSAGES; start += INSERT_BATCH) {
      const rows: string[] = [];
      for (let i = start; i < start + INSERT_BATCH; i += 1) {
        const at = stamp(base + i * 1_000);
        const session = i % 10 === 9 ? Number(others[i % others.length]?.['id']) : bigSession;
        rows.push(`('message ${i}', 'user', ${session}, '${at}', '${at}', ${i % 97 === 0 ? 1 : 0})`);
      }
      await execute(`INSERT INTO messages (text, sender, session_id, created_at, updated_at, is_deleted) VALUES ${rows.join(', ')}`);
    }
    const extra = BIG_SESSION_MESSAGES / 10;
    const rows: string[] = [];
    for (let i = 0; i < extra; i += 1) {
      const at = stamp(base + (BIG_SESSION_MESSAGES + i) * 1_000);
      rows.push(`('late ${i}', 'assistant', ${bigSession}, '${at}', '${at}', 0)`);
    }
    await execute(`INSERT INTO messages (text, sender, session_id, created_at, updated_at, is_deleted) VALUES ${rows.join(', ')}`);
    await execute('ANALYZE TABLE users, chat_sessions, messages');

    const [count] = await execute(`SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM messages WHERE session_id = ${bigSession}`);
    expect(Number(count?.['n'])).toBeGreaterThanOrEqual(BIG_SESSION_MESSAGES);
    const middle = Math.floor((Number(count?.['lo']) + Number(count?.['hi'])) / 2);
    const [live] = await execute(
      `SELECT MIN(id) AS id FROM messages WHERE session_id = ${bigSession} AND is_deleted = 0 AND id >= ${middle}`,
    );
    middleId = Number(live?.['id']);

    // From here on, remember the SQL the repositories send, exactly as the server receives it.
    const platform = storage.orm.em.getPlatform();
    storage.orm.config.set('onQuery', (sql: string, params: unknown[]) => {
      captured.push(platform.formatQuery(sql, params));
      return sql;
    });
  }, 120_000);

  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  /** Runs `read` through the repository and answers the SELECTs it sent. */
  const queriesOf = async (read: () => Promise<unknown>): Promise<string[]> => {
    captured.length = 0;
    await read();
    return captured.filter((sql) => /^\s*select/i.test(sql));
  };

  /** Runs `read` through the repository and answers the one SELECT it sent. */
  const queryOf = async (read: () => Promise<unknown>): Promise<string> => {
    const selects = await queriesOf(read);
    expect(selects).toHaveLength(1);
    return selects[0] as string;
  };

  const explain = async (sql: string): Promise<ExplainRow[]> => {
    const rows = (await storage.orm.em.getConnection().execute(`EXPLAIN ${sql}`)) as ExplainRow[];
    if (process.env['EXPLAIN_VERBOSE'] === '1') {
      console.info(`${sql.replace(/\s+/g, ' ')}\n${rows.map((row) => `  ${row.table} type=${row.type} key=${row.key} extra=${row.Extra}`).join('\n')}`);
    }
    return rows;
  };

  /** Rows the storage engine handed over while `sql` ran: index reads, steps along an index, scans. */
  const rowsTouched = (sql: string): Promise<number> =>
    storage.orm.em.transactional(async (em) => {
      const run = (query: string) => em.getConnection().execute(query, [], 'all', em.getTransactionContext()) as Promise<Record<string, unknown>[]>;
      const handlerReads = async () =>
        (await run("SHOW SESSION STATUS LIKE 'Handler_read%'")).reduce((sum, row) => sum + Number(row['Value']), 0);
      const first = await handlerReads();
      const second = await handlerReads();
      const overhead = second - first;
      await run(sql);
      return (await handlerReads()) - second - overhead;
    });

  /**
   * No table is scanned whole (`ALL`, or `index`: every entry of an index) and nothing is sorted.
   * A `<derivedN>` row is the server's own temporary result of a subquery with a LIMIT, as small as
   * that LIMIT, so reading it whole is no scan of the data.
   */
  const expectNoScanNoSort = (plan: ExplainRow[]) => {
    for (const row of plan) {
      if (!row.table?.startsWith('<derived')) {
        expect(row.type, `${row.table} is scanned`).not.toBe('ALL');
        expect(row.type, `${row.table}'s index is scanned whole`).not.toBe('index');
      }
      expect(row.Extra ?? '', `${row.table} is sorted`).not.toMatch(/filesort/i);
    }
  };

  const expectIndexed = (plan: ExplainRow[], table: string, key: string) => {
    const row = plan.find((candidate) => candidate.table === table);
    expect(row, `EXPLAIN has no row for ${table}`).toBeDefined();
    expect(row?.key).toBe(key);
    expect(['const', 'eq_ref', 'ref', 'range']).toContain(row?.type);
    expectNoScanNoSort(plan);
  };

  it('when the latest messages are read (no cursor), the ownership check is a PRIMARY lookup and the messages a range of their index, no sort', async () => {
    const sql = await queryOf(() => storage.messages.sliceOfSession(bigSession, owner, { beforeId: null, limit: LIMIT }));
    const plan = await explain(sql);

    expectIndexed(plan, 'm', 'messages_session_live_index');
    expectIndexed(plan, 's', 'PRIMARY');
    expect(await rowsTouched(sql)).toBeLessThan(LIMIT * 3);
  });

  it('when reading before an id in the middle of the session, the same holds', async () => {
    const sql = await queryOf(() => storage.messages.sliceOfSession(bigSession, owner, { beforeId: middleId, limit: LIMIT }));
    const plan = await explain(sql);

    expectIndexed(plan, 'm', 'messages_session_live_index');
    expect(await rowsTouched(sql)).toBeLessThan(LIMIT * 3);
  });

  it('when reading after an id in the middle of the session, the same holds', async () => {
    const sql = await queryOf(() => storage.messages.sliceOfSession(bigSession, owner, { afterId: middleId, limit: LIMIT }));
    const plan = await explain(sql);

    expectIndexed(plan, 'm', 'messages_session_live_index');
    expect(await rowsTouched(sql)).toBeLessThan(LIMIT * 3);
  });

  it('when the session is not the reader\'s, none of its messages is read: the slice finds nothing, a PRIMARY lookup says why', async () => {
    const selects = await queriesOf(() => storage.messages.sliceOfSession(bigSession, randomUUID(), { beforeId: null, limit: LIMIT }));

    expect(selects).toHaveLength(2);
    let touched = 0;
    for (const sql of selects) touched += await rowsTouched(sql);
    expect(touched).toBeLessThan(10);
  });

  it('when the first page by position is read, the page comes from the index and the total from the session row: nothing is counted', async () => {
    const sql = await queryOf(() => storage.messages.pageOfSession(bigSession, owner, { offset: 0, limit: LIMIT }));
    const plan = await explain(sql);

    expectIndexed(plan, 's', 'PRIMARY');
    expectIndexed(plan, 'messages', 'messages_session_live_index');
    // The total is chat_sessions.message_count, read by the same PRIMARY lookup as the ownership
    // check: no COUNT, so reading the first page does not grow with the session.
    expect(sql).not.toMatch(/count\s*\(/i);
    expect(plan.map((row) => row.table).filter((table) => !table.startsWith('<derived'))).toEqual(['s', 'messages']);
    expect(await rowsTouched(sql)).toBeLessThan(LIMIT * 3);
  });

  it('when the session list is read, the owner\'s part of its index is read backwards, no sort, for the page and the count', async () => {
    const sql = await queryOf(() => storage.sessions.listViewsOfOwner(owner, { offset: 0, limit: 20 }));
    const plan = await explain(sql);

    const sessionRows = plan.filter((row) => row.table === 'chat_sessions');
    expect(sessionRows).toHaveLength(2);
    for (const row of sessionRows) {
      expect(row.key).toBe('chat_sessions_owner_recent_index');
      expect(row.type).toBe('ref');
    }
    expectNoScanNoSort(plan);
    expect(await rowsTouched(sql)).toBeLessThan(SESSIONS_PER_OWNER * 6);
  });

  /** Runs `write` through the repository and answers the UPDATEs it sent, in order. */
  const updatesOf = async (write: () => Promise<unknown>): Promise<string[]> => {
    captured.length = 0;
    await write();
    return captured.filter((sql) => /^\s*update/i.test(sql));
  };

  /** Rows the storage engine handed over while `sql` ran, in a transaction rolled back afterwards. */
  const rowsTouchedUndone = async (sql: string): Promise<number> => {
    const undo = new Error('undo');
    let touched = Number.NaN;
    await storage.orm.em
      .transactional(async (em) => {
        const run = (query: string) =>
          em.getConnection().execute(query, [], 'all', em.getTransactionContext()) as Promise<Record<string, unknown>[]>;
        const handlerReads = async () =>
          (await run("SHOW SESSION STATUS LIKE 'Handler_read%'")).reduce((sum, row) => sum + Number(row['Value']), 0);
        const first = await handlerReads();
        const second = await handlerReads();
        await em.getConnection().execute(sql, [], 'run', em.getTransactionContext());
        touched = (await handlerReads()) - second - (second - first);
        throw undo;
      })
      .catch((error: unknown) => {
        if (error !== undo) throw error;
      });
    return touched;
  };

  it('when the newest message of the session is deleted, the session\'s counters follow from one step back along the index', async () => {
    const [newest] = await execute(`SELECT MAX(id) AS id FROM messages WHERE session_id = ${bigSession} AND is_deleted = 0`);
    // Sent, and then undone, so that the statements are explained against the rows they ran on.
    const undo = new Error('undo');
    let updates: string[] = [];
    await storage.transactions
      .run(async () => {
        updates = await updatesOf(() => storage.messages.deleteInSession(Number(newest?.['id']), bigSession, new Date()));
        throw undo;
      })
      .catch((error: unknown) => {
        if (error !== undo) throw error;
      });

    expect(updates).toHaveLength(2);
    const [messageUpdate, sessionUpdate] = updates as [string, string];
    expect(sessionUpdate).toMatch(/^\s*update chat_sessions/i);
    const plan = await explain(sessionUpdate);
    expectIndexed(plan, 'chat_sessions', 'PRIMARY');
    // The newest live message left, read backwards along the session's live range: it does not
    // grow with the session.
    expectIndexed(plan, 'messages', 'messages_session_live_index');
    expect(await rowsTouchedUndone(sessionUpdate)).toBeLessThan(10);
    // The message by its id: PRIMARY, or the one entry (session, live, id) of the live index.
    const [messageStep, ...more] = await explain(messageUpdate);
    expect(more).toEqual([]);
    expect(['PRIMARY', 'messages_session_live_index']).toContain(messageStep?.key);
    expectNoScanNoSort([messageStep as ExplainRow]);
    expect(await rowsTouchedUndone(messageUpdate)).toBeLessThan(10);
  });

  it('when a message is sent or a session cleared, the session\'s counters are one PRIMARY update', async () => {
    const [small] = await execute(`SELECT id FROM chat_sessions WHERE id <> ${bigSession} AND is_active = 1 ORDER BY id DESC LIMIT 1`);
    const sessionId = Number(small?.['id']);
    const sent = await updatesOf(() =>
      storage.messages.add(Message.create({ sessionId, text: 'counted', sender: 'user', now: new Date() })),
    );
    const cleared = await updatesOf(() => storage.messages.deleteAllInSession(sessionId, new Date()));

    expect(sent).toHaveLength(1);
    expect(cleared).toHaveLength(2);
    for (const sql of [...sent, cleared[0] as string]) {
      expect(sql).toMatch(/^\s*update chat_sessions/i);
      const plan = await explain(sql);
      expect(plan).toHaveLength(1);
      expectIndexed(plan, 'chat_sessions', 'PRIMARY');
    }
    expectIndexed(await explain(cleared[1] as string), 'messages', 'messages_session_live_index');
  });

  it('when one session or one message is read, it is a PRIMARY lookup', async () => {
    for (const read of [
      () => storage.sessions.findViewOwned(bigSession, owner),
      () => storage.sessions.findOwned(bigSession, owner),
      () => storage.messages.findInSession(middleId, bigSession),
    ]) {
      const plan = await explain(await queryOf(read));
      expect(plan).toHaveLength(1);
      expect(plan[0]?.key).toBe('PRIMARY');
      expect(plan[0]?.type).toBe('const');
    }
  });

  it('when the idle-stream sweep reads its candidates, it reads a range of their index in order, the owner by PRIMARY, no sort', async () => {
    // 1,500 streams among the 110,000 complete messages: a third idle, a third deleted while
    // streaming (they keep that status, and must not be walked past), a third still being written.
    const base = Date.UTC(2026, 0, 1);
    const active = await execute('SELECT id FROM chat_sessions WHERE is_active = 1 ORDER BY id LIMIT 100');
    const streams: string[] = [];
    for (let i = 0; i < 1_500; i += 1) {
      const kind = i % 3;
      const updatedAt = stamp(kind === 2 ? base + 400 * DAY_MS : base + i * 1_000);
      const session = Number(active[i % active.length]?.['id']);
      streams.push(`('stream ${i}', 'assistant', ${session}, 'streaming', '${stamp(base)}', '${updatedAt}', ${kind === 1 ? 1 : 0})`);
    }
    await execute(`INSERT INTO messages (text, sender, session_id, status, created_at, updated_at, is_deleted) VALUES ${streams.join(', ')}`);
    await execute('ANALYZE TABLE messages');

    const cutoff = new Date(base + 300 * DAY_MS);
    const sql = await queryOf(() => storage.messages.idleStreams(cutoff, LIMIT));
    const plan = await explain(sql);

    expectIndexed(plan, 'm', 'messages_stream_idle_index');
    expect(plan.find((row) => row.table === 'm')?.type).toBe('range');
    expectIndexed(plan, 's', 'PRIMARY');
    expect(await storage.messages.idleStreams(cutoff, LIMIT)).toHaveLength(LIMIT);
    expect(await rowsTouched(sql)).toBeLessThan(LIMIT * 3);
  });
});
