import ms, { type StringValue } from 'ms';

export interface SoakOptions {
  readonly durationMs: number;
  /** Simulated users, each with its own requests, WebSocket and (every other one) event stream. */
  readonly users: number;
  /** Each user's pause between two requests: the load is steady, not as fast as it can go. */
  readonly pauseMs: number;
  /** A MySQL server (`mysql://user:password@host:port`) to soak against in a database of its own; null for SQLite. */
  readonly mysqlUrl: string | null;
}

export const DEFAULT_SOAK: SoakOptions = { durationMs: 60_000, users: 8, pauseMs: 10, mysqlUrl: null };

/** `60`, `60s`, `2m` → milliseconds (a bare number is seconds, as in the server's configuration). */
const durationOf = (value: string, what: string): number => {
  const parsed = /^\d+$/.test(value) ? Number(value) * 1000 : ms(value as StringValue);
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < 1000) throw new Error(`${what} must be a duration like 60, 60s or 2m, got "${value}"`);
  return parsed;
};

const countOf = (value: string, what: string, min: number): number => {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`${what} must be a whole number of at least ${min}, got "${value}"`);
  return Number(value);
};

/**
 * The soak's settings: `--duration 60s` (or `SOAK_DURATION`, for CI to run it short), `--users 8`
 * (`SOAK_USERS`), `--pause 10` ms (`SOAK_PAUSE_MS`), `--mysql mysql://root@127.0.0.1:3306`
 * (`SOAK_MYSQL_URL`). A flag wins over its variable.
 */
export const parseSoakOptions = (argv: readonly string[], env: Record<string, string | undefined>): SoakOptions => {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const match = /^--(duration|users|pause|mysql)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument "${arg}" (use --duration, --users, --pause, --mysql)`);
    const value = match[2] ?? argv[(index += 1)];
    if (value === undefined) throw new Error(`--${match[1]} needs a value`);
    flags.set(match[1]!, value);
  }
  const pick = (flag: string, variable: string): string | undefined => flags.get(flag) ?? (env[variable]?.trim() || undefined);
  const duration = pick('duration', 'SOAK_DURATION');
  const users = pick('users', 'SOAK_USERS');
  const pause = pick('pause', 'SOAK_PAUSE_MS');
  return {
    durationMs: duration === undefined ? DEFAULT_SOAK.durationMs : durationOf(duration, 'the duration'),
    users: users === undefined ? DEFAULT_SOAK.users : countOf(users, 'the number of users', 1),
    pauseMs: pause === undefined ? DEFAULT_SOAK.pauseMs : countOf(pause, 'the pause', 0),
    mysqlUrl: pick('mysql', 'SOAK_MYSQL_URL') ?? null,
  };
};
