import { describe, expect, it } from 'vitest';
import { DEFAULT_SOAK, parseSoakOptions } from '../../soak/soak-options.js';

describe('parseSoakOptions', () => {
  it('runs 60 s with 8 users on SQLite by default', () => {
    expect(parseSoakOptions([], {})).toEqual(DEFAULT_SOAK);
    expect(DEFAULT_SOAK).toMatchObject({ durationMs: 60_000, users: 8, mysqlUrl: null });
  });

  it('takes --duration, --users, --pause and --mysql, with or without "="; a bare number of a duration is seconds', () => {
    expect(parseSoakOptions(['--duration', '10', '--users=3', '--pause', '25', '--mysql=mysql://root@127.0.0.1:3306'], {})).toEqual({
      durationMs: 10_000,
      users: 3,
      pauseMs: 25,
      mysqlUrl: 'mysql://root@127.0.0.1:3306',
    });
    expect(parseSoakOptions(['--duration=2m'], {}).durationMs).toBe(120_000);
  });

  it('reads SOAK_DURATION, SOAK_USERS, SOAK_PAUSE_MS and SOAK_MYSQL_URL, and a flag wins over its variable', () => {
    const env = { SOAK_DURATION: '15s', SOAK_USERS: '2', SOAK_PAUSE_MS: '0', SOAK_MYSQL_URL: 'mysql://root@db:3306' };

    expect(parseSoakOptions([], env)).toEqual({ durationMs: 15_000, users: 2, pauseMs: 0, mysqlUrl: 'mysql://root@db:3306' });
    expect(parseSoakOptions(['--duration', '30s'], env).durationMs).toBe(30_000);
  });

  it('refuses what it cannot read, naming it', () => {
    expect(() => parseSoakOptions(['--duration', 'soon'], {})).toThrow(/duration/);
    expect(() => parseSoakOptions(['--duration', '500ms'], {})).toThrow(/duration/);
    expect(() => parseSoakOptions(['--users', '0'], {})).toThrow(/users/);
    expect(() => parseSoakOptions(['--verbose'], {})).toThrow(/--verbose/);
    expect(() => parseSoakOptions(['--users'], {})).toThrow(/--users needs a value/);
  });
});
