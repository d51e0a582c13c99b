/**
 * The database the configuration selects, as the persistence adapter receives it. The
 * configuration owns these types and defaults; the MikroORM adapter imports them (not the reverse).
 */
export interface DatabasePoolOptions {
  min: number;
  max: number;
  /** How long a request waits for a free connection before it fails as unavailable. */
  acquireTimeoutMs: number;
  /** How long opening one connection may take, so an unreachable server fails fast. */
  connectTimeoutMs: number;
  /**
   * How long a statement of a serving request may go with no answer at all before its connection
   * is cut and the request fails as unavailable: a database that stops answering must not hang
   * requests (see `cutSilentStatements`).
   */
  statementTimeoutMs: number;
}

export type DatabaseOptions =
  | {
      kind: 'mysql';
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
      pool: DatabasePoolOptions;
    }
  | { kind: 'sqlite'; path: string };

/** Where data lives: MySQL, the embedded SQLite file, or (for tests and demos) memory. */
export type DatabaseConfig = DatabaseOptions | { kind: 'memory' };

export const DEFAULT_MYSQL_DATABASE = 'chat_app';
export const DEFAULT_SQLITE_PATH = './data/chat.sqlite';
/** The pool when no `DB_*` variable says otherwise, for the server and the database scripts alike. */
export const DEFAULT_POOL: Readonly<DatabasePoolOptions> = {
  min: 0,
  max: 10,
  acquireTimeoutMs: 5_000,
  connectTimeoutMs: 3_000,
  statementTimeoutMs: 15_000,
};
