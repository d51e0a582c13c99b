import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL } from '../../src/configuration/database-options.js';
import { ConfigError, parseDatabaseConfig } from '../../src/config.js';

describe('parseDatabaseConfig', () => {
  it('when nothing names MySQL, it is the embedded SQLite file, ./data/chat.sqlite unless SQLITE_PATH says otherwise', () => {
    expect(parseDatabaseConfig({})).toEqual({ kind: 'sqlite', path: './data/chat.sqlite' });
    expect(parseDatabaseConfig({ SQLITE_PATH: '/var/lib/chat/db.sqlite', MYSQL_HOST: '' })).toEqual({
      kind: 'sqlite',
      path: '/var/lib/chat/db.sqlite',
    });
  });

  it("when MYSQL_HOST is set, it is MySQL with the seed's variables and their defaults", () => {
    expect(parseDatabaseConfig({ MYSQL_HOST: 'db' })).toEqual({
      kind: 'mysql',
      host: 'db',
      port: 3306,
      user: 'root',
      password: '',
      database: 'chat_app',
      pool: DEFAULT_POOL,
    });
    expect(
      parseDatabaseConfig({
        MYSQL_HOST: 'db',
        MYSQL_PORT: '3307',
        MYSQL_USER: 'chat',
        MYSQL_PASSWORD: 's3cret',
        MYSQL_DATABASE: 'chat_prod',
        DB_POOL_MIN: '1',
        DB_POOL_MAX: '20',
        DB_ACQUIRE_TIMEOUT_MS: '1500',
        DB_CONNECT_TIMEOUT_MS: '800',
        DB_STATEMENT_TIMEOUT_MS: '2500',
      }),
    ).toEqual({
      kind: 'mysql',
      host: 'db',
      port: 3307,
      user: 'chat',
      password: 's3cret',
      database: 'chat_prod',
      pool: { min: 1, max: 20, acquireTimeoutMs: 1500, connectTimeoutMs: 800, statementTimeoutMs: 2500 },
    });
  });

  it('when DATABASE_URL is a mysql:// URL, it wins, with its parts decoded', () => {
    expect(parseDatabaseConfig({ DATABASE_URL: 'mysql://app%40x:p%3Ass@db.internal:3310/chat_db', MYSQL_HOST: 'ignored' })).toMatchObject({
      kind: 'mysql',
      host: 'db.internal',
      port: 3310,
      user: 'app@x',
      password: 'p:ss',
      database: 'chat_db',
    });
    expect(parseDatabaseConfig({ DATABASE_URL: 'mysql://root@127.0.0.1' })).toMatchObject({ port: 3306, database: 'chat_app' });
  });

  it.each([
    [{ DATABASE_URL: 'postgres://db/chat' }, /DATABASE_URL/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ MYSQL_HOST: 'db', MYSQL_PORT: 'abc' }, /MYSQL_PORT/],
    [{ MYSQL_HOST: 'db', MYSQL_PORT: '70000' }, /MYSQL_PORT/],
    [{ MYSQL_HOST: 'db', MYSQL_DATABASE: 'chat; DROP' }, /MYSQL_DATABASE/],
    [{ MYSQL_HOST: 'db', DB_POOL_MIN: '5', DB_POOL_MAX: '2' }, /DB_POOL_MIN/],
  ])('when the environment is %j, it is refused with an error naming the variable', (env, name) => {
    expect(() => parseDatabaseConfig(env)).toThrow(ConfigError);
    expect(() => parseDatabaseConfig(env)).toThrow(name);
  });

  it('says what DB_POOL_MIN must not exceed, the default DB_POOL_MAX included', () => {
    expect(() => parseDatabaseConfig({ DB_POOL_MIN: '5', DB_POOL_MAX: '2' })).toThrow('DB_POOL_MIN must be at most DB_POOL_MAX (2), got "5"');
    expect(() => parseDatabaseConfig({ DB_POOL_MIN: '20' })).toThrow('DB_POOL_MIN must be at most DB_POOL_MAX (10), got "20"');
  });

  it.each(['DB_POOL_MIN', 'DB_POOL_MAX', 'DB_ACQUIRE_TIMEOUT_MS', 'DB_CONNECT_TIMEOUT_MS', 'DB_STATEMENT_TIMEOUT_MS', 'MYSQL_PORT'])(
    '%s takes digits only, like every other whole number',
    (variable) => {
      for (const value of ['1e3', '5.0', '0x10', ' 5', '-1', 'many']) {
        expect(() => parseDatabaseConfig({ MYSQL_HOST: 'db', [variable]: value }), value).toThrow(new RegExp(`^${variable} must be a whole number from \\d+ to \\d+, got `));
      }
    },
  );

  it('checks every database variable whichever database is chosen, so a mistake is caught before it matters', () => {
    expect(() => parseDatabaseConfig({ MYSQL_PORT: 'abc' })).toThrow(/^MYSQL_PORT/);
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'mysql://db/chat', MYSQL_DATABASE: 'chat; DROP' })).toThrow(/^MYSQL_DATABASE/);
    expect(() => parseDatabaseConfig({ DB_POOL_MAX: '0' })).toThrow(/^DB_POOL_MAX/);
  });

  it('refuses a DATABASE_URL whose %-escapes do not decode', () => {
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'mysql://root:%E0%A4%A@db/chat' })).toThrow(ConfigError);
    expect(() => parseDatabaseConfig({ DATABASE_URL: 'mysql://root:%E0%A4%A@db/chat' })).toThrow(/^DATABASE_URL must be /);
  });

  it('trims MYSQL_HOST and DATABASE_URL, and a blank one selects nothing', () => {
    expect(parseDatabaseConfig({ MYSQL_HOST: '  db  ' })).toMatchObject({ kind: 'mysql', host: 'db' });
    expect(parseDatabaseConfig({ DATABASE_URL: ' mysql://db/chat ' })).toMatchObject({ kind: 'mysql', host: 'db', database: 'chat' });
    expect(parseDatabaseConfig({ DATABASE_URL: '  ', MYSQL_HOST: ' ' })).toEqual({ kind: 'sqlite', path: './data/chat.sqlite' });
  });
});
