/**
 * The least SQL client the seed and the floor server need, over `mysql2`'s pool or `libsql`'s
 * synchronous database: no ORM, no query builder, so the floor measures the stack's limit.
 */
import Database from 'libsql';
import mysql from 'mysql2/promise';

export type Row = Record<string, unknown>;

export interface SqlClient {
  readonly dialect: 'mysql' | 'sqlite';
  rows(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A statement that returns no rows: how many it changed, and the new row's id. */
  execute(sql: string, params?: readonly unknown[]): Promise<{ affected: number; insertId: number }>;
  /** `work` on one connection between BEGIN and COMMIT (ROLLBACK if it throws). */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

type Queryable = Pick<mysql.Pool, 'query'> | mysql.PoolConnection;

const mySqlOn = (target: Queryable, pool: mysql.Pool): SqlClient => ({
  dialect: 'mysql',
  rows: async (sql, params = []) => {
    const [rows] = await target.query(sql, params as unknown[]);
    return rows as Row[];
  },
  execute: async (sql, params = []) => {
    const [result] = await target.query(sql, params as unknown[]);
    const header = result as mysql.ResultSetHeader;
    return { affected: header.affectedRows, insertId: header.insertId };
  },
  transaction: async (work) => {
    const connection = await pool.getConnection();
    try {
      await connection.query('BEGIN');
      const result = await work(mySqlOn(connection, pool));
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  },
  close: () => pool.end(),
});

/** A pool on `url` (`mysql://user:password@host:port/database`). */
export const openMySqlClient = (url: string, connectionLimit = 10): SqlClient => {
  // `trace: false`: mysql2 otherwise captures a stack for every query (a tenth of the floor's CPU
  // on the session list), and the floor is meant to be the stack's limit, not a handicapped rival.
  const pool = mysql.createPool({ uri: url, connectionLimit, multipleStatements: false, dateStrings: true, supportBigNumbers: true, trace: false });
  return mySqlOn(pool, pool);
};

/** The SQLite file at `path`. One connection, so transactions are queued one after another. */
export const openSqliteClient = (path: string): SqlClient => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  let queue: Promise<unknown> = Promise.resolve();
  const client: SqlClient = {
    dialect: 'sqlite',
    rows: async (sql, params = []) => db.prepare(sql).all(...(params as unknown[])) as Row[],
    execute: async (sql, params = []) => {
      const info = db.prepare(sql).run(...(params as unknown[]));
      return { affected: info.changes, insertId: Number(info.lastInsertRowid) };
    },
    transaction: <T>(work: (inner: SqlClient) => Promise<T>): Promise<T> => {
      const run = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(client);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      });
      queue = run.catch(() => {});
      return run;
    },
    close: async () => {
      db.close();
    },
  };
  return client;
};
