/**
 * The built server as a child process, the way `npm start` runs it: `node dist/src/main.js` with a
 * clean environment in a temporary working directory (so no `.env` or database lands in the repo).
 * Shared by the test files under `tests/process`, which register the hooks themselves:
 *
 *     beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);
 *     afterEach(killAll);
 *     afterAll(cleanUp);
 *
 * The children and temporary directories tracked here are those of the importing test file
 * (vitest runs each file in a worker of its own, with its own copy of this module).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { type Api, createApi } from './api-client.js';
import type { MySqlOptions } from './mysql-test-database.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
export const MAIN = join(DIST, 'src', 'main.js');

export type Env = Record<string, string | undefined>;

/** One JSON log line of pino. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly cwd: string;
  /** Every JSON line on stdout so far. */
  readonly logs: readonly LogLine[];
  /** Everything on stdout that was not a JSON log line. */
  readonly stdoutText: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<Exit>;
  /** The first log line (already seen or to come) that matches, or a rejection on exit/timeout. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

export interface RunningServer extends ServerProcess {
  readonly port: number;
  readonly baseUrl: string;
  /** `ws://…/ws` of this server. */
  readonly wsUrl: string;
  readonly api: Api;
  /** SIGTERM, then the exit. */
  stop(): Promise<Exit>;
}

/** Every child the importing file started, so that none outlives a test, passing or failing. */
const children = new Set<ChildProcess>();
/** Temporary directories to remove at the end. */
const tempDirs: string[] = [];

export const tempDir = (prefix = 'chat-process-'): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};

export const randomSecret = (): string => randomBytes(48).toString('base64url');

export const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `node dist/src/main.js` (or `command`) in `cwd` with only PATH and `env` (a value of
 * `undefined` leaves that variable out). It does not wait for anything.
 */
export const launch = (env: Env, cwd: string, command: readonly [string, ...string[]] = [process.execPath, MAIN]): ServerProcess => {
  const childEnv: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;

  const [file, ...args] = command;
  const child = spawn(file, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);

  const logs: LogLine[] = [];
  let stdoutText = '';
  let stderr = '';
  const watchers = new Set<(line: LogLine) => void>();
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // Every stream read to its end, so 'close' below means the output is complete.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      stdoutText += `${text}\n`;
      return;
    }
    logs.push(line);
    for (const watcher of watchers) watcher(line);
  });

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 15_000): Promise<LogLine> => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    let watcher: ((line: LogLine) => void) | undefined;
    const found = new Promise<LogLine>((resolve, reject) => {
      watcher = (line) => {
        if (match(line)) resolve(line);
      };
      watchers.add(watcher);
      void closed.then(async () => {
        const exit = await exited;
        reject(new Error(`the server exited (${exit.code ?? exit.signal}) before the awaited log line; stderr: ${stderr}`));
      });
    });
    return within(found, timeoutMs, 'waiting for a log line').finally(() => {
      if (watcher) watchers.delete(watcher);
    });
  };

  return {
    child,
    cwd,
    logs,
    stdoutText: () => stdoutText,
    stderr: () => stderr,
    // Resolved once the output is complete too, so a test reads every line the process wrote.
    exited: closed.then(() => exited),
    waitForLog,
  };
};

/** The environment every start shares; each test adds or removes what it is about. */
export const baseEnv = (overrides: Env = {}): Env => ({
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  SQLITE_PATH: join(tempDir('chat-db-'), 'chat.sqlite'),
  JWT_SECRET_KEY: randomSecret(),
  BCRYPT_ROUNDS: '4',
  LOG_LEVEL: 'info',
  ...overrides,
});

/**
 * The variables that point the server at a MySQL database (from `createMySqlTestDatabase`), pool
 * settings included, as the server reads them; `SQLITE_PATH` is left out.
 */
export const mySqlEnv = (options: MySqlOptions): Env => {
  const { user, password, host, port, database, pool } = options;
  return {
    DATABASE_URL: `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
    DB_POOL_MIN: String(pool.min),
    DB_POOL_MAX: String(pool.max),
    DB_ACQUIRE_TIMEOUT_MS: String(pool.acquireTimeoutMs),
    DB_CONNECT_TIMEOUT_MS: String(pool.connectTimeoutMs),
    DB_STATEMENT_TIMEOUT_MS: String(pool.statementTimeoutMs),
    SQLITE_PATH: undefined,
  };
};

export const isListening = (line: LogLine): boolean => line.msg.startsWith('listening on');

/** Starts the server and waits until it listens; `cwd` is a fresh temporary directory unless given. */
export const startServer = async (env: Env, cwd: string = tempDir()): Promise<RunningServer> => {
  const server = launch(env, cwd);
  const listening = await server.waitForLog(isListening, 30_000);
  const port = listening['port'];
  if (typeof port !== 'number') throw new Error(`no port in the listening line: ${JSON.stringify(listening)}`);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ...server,
    port,
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    api: createApi(baseUrl),
    stop: async () => {
      server.child.kill('SIGTERM');
      return within(server.exited, 10_000, 'exit after SIGTERM');
    },
  };
};

/** Runs the server with a configuration that must not start, to its exit. */
export const runToExit = async (env: Env, cwd: string = tempDir()) => {
  const started = performance.now();
  const server = launch(env, cwd);
  const exit = await within(server.exited, 15_000, 'exit of a misconfigured server');
  return {
    ...exit,
    ms: performance.now() - started,
    stderrLines: server.stderr().split('\n').filter((line) => line !== ''),
    logs: server.logs,
    stdoutText: server.stdoutText(),
  };
};

/** SIGKILLs every child of this file still running, and waits until each is gone. */
export const killAll = async (): Promise<void> => {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
      children.delete(child);
    }),
  );
};

/** `killAll`, then removes every temporary directory of this file. */
export const cleanUp = async (): Promise<void> => {
  await killAll();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

// ---------------------------------------------------------------------------------------------
// The build, once per run.
//
// `npm run build` deletes `dist/` and writes it anew. Vitest runs test files in parallel, each in
// a worker process of its own, so two files that each built in their `beforeAll` would delete the
// server out from under each other: a file starting a server while the other's build is between
// `rm -rf dist` and `tsc` gets "Cannot find module", and one whose build lands mid-test runs a
// half-written `dist/`. So the build is serialized by a lock directory (`mkdirSync` is atomic:
// exactly one caller creates it), and the one that builds leaves a marker in `dist/` naming the
// run; a caller that then gets the lock and finds its own run named skips the build. A later run
// finds another run named and builds again, so it tests the code as it is now.
//
// What identifies a run: under the default `forks` pool every worker is a child of the run's one
// main process, so the workers of one run share `process.ppid` (checked with vitest 4.1: three
// files, three worker pids, one ppid); under the `threads` pool the workers are threads of that
// main process, so it is `process.pid`. The process's start time is added, so that a reused pid
// cannot pass for an old run.
//
// Another run still going (someone else's `vitest run` on the same checkout) may be running
// servers from `dist/` too: its build is reused when no input changed since it started, and
// otherwise this run waits for it to end rather than pull `dist/` from under it. (In watch mode
// the main process, hence the run, lasts until vitest quits: restart it to test a new build.)
// ---------------------------------------------------------------------------------------------

/** Enough for the lock to be held through one build by another file, plus our own build. */
export const BUILD_TIMEOUT_MS = 240_000;
/** Next to `dist/`, not in it: the build deletes `dist/`. An empty directory, so git never shows it. */
const LOCK = join(ROOT, '.dist-build.lock');
const LOCK_OWNER = join(LOCK, 'owner');
/** In `dist/`, so that the build's own `rm -rf dist` takes it away with what it describes. */
const MARKER = join(DIST, '.built-by-run');
/** What the build reads: a change to any of these after the marker means the build is out of date. */
const BUILD_INPUTS = ['src', 'web', 'mikro-orm.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const POLL_MS = 100;

/** `<pid>@<start time>` of a live process (the start time where /proc tells it), else null. */
const identityOf = (pid: number): string | null => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces and parentheses); start time is field 22.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return `${pid}@${startTime}`;
  } catch {
    return `${pid}`;
  }
};

const isAlive = (identity: string): boolean => identityOf(Number.parseInt(identity, 10)) === identity;

const thisRun = (): string => {
  const identity = identityOf(isMainThread ? process.ppid : process.pid);
  if (identity === null) throw new Error('the vitest run that started this worker is gone');
  return identity;
};

const readOrNull = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

const statSafe = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/** The newest modification time of the build's inputs. */
const newestInput = (): number => {
  let newest = 0;
  const visit = (path: string): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    newest = Math.max(newest, stats.mtimeMs);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const input of BUILD_INPUTS) visit(join(ROOT, input));
  return newest;
};

const waitFor = async (condition: () => boolean, deadline: number, what: string): Promise<void> => {
  // Nothing announces these changes across processes, so they are polled.
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await delay(POLL_MS);
  }
};

/** Takes the build lock, taking over one whose holder died; resolves with its release. */
const acquireLock = async (deadline: number): Promise<() => void> => {
  const me = identityOf(process.pid) ?? `${process.pid}`;
  const tryTake = (): boolean => {
    try {
      mkdirSync(LOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOrNull(LOCK_OWNER);
      // A holder that died (a killed worker) would hold it for ever; one that has only just made
      // the directory has not written its name yet, so an unnamed lock is only stale when old.
      const stale = owner === null ? Date.now() - (statSafe(LOCK)?.mtimeMs ?? Date.now()) > 10_000 : !isAlive(owner);
      if (stale) rmSync(LOCK, { recursive: true, force: true });
      return false;
    }
    writeFileSync(LOCK_OWNER, me);
    return true;
  };
  await waitFor(tryTake, deadline, `the build lock ${LOCK} (held by ${readOrNull(LOCK_OWNER) ?? 'nobody named'})`);
  let held = true;
  // Once, and only while still ours: a second release must not free another caller's lock.
  return () => {
    if (!held) return;
    held = false;
    if (readOrNull(LOCK_OWNER) === me) rmSync(LOCK, { recursive: true, force: true });
  };
};

/** What the marker says: the run that built, and the newest input's time when it started. */
interface Marker {
  readonly run: string;
  readonly inputsAt: number;
}

const readMarker = (): Marker | null => {
  if (!existsSync(MAIN)) return null;
  try {
    return JSON.parse(readFileSync(MARKER, 'utf8')) as Marker;
  } catch {
    return null;
  }
};

const build = async (): Promise<void> => {
  const run = thisRun();
  const deadline = Date.now() + BUILD_TIMEOUT_MS - 10_000;
  for (;;) {
    const release = await acquireLock(deadline);
    try {
      const marker = readMarker();
      // Built by another file of this run, whose servers may be running from it right now.
      if (marker?.run === run) return;
      if (marker !== null && isAlive(marker.run)) {
        // Another run is going and may be running servers from dist/: its build is reused when a
        // build now would give the same, else this run waits for it to end (not holding the lock).
        if (newestInput() <= marker.inputsAt) return;
        release();
        await waitFor(() => !isAlive(marker.run), deadline, `the vitest run ${marker.run}, which uses dist/, to end (src/ changed since it built)`);
        continue;
      }
      // Taken before the build: an edit made while tsc runs is not in this build, so it counts as newer.
      const inputsAt = newestInput();
      await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
      if (!existsSync(MAIN)) throw new Error(`npm run build did not produce ${MAIN}`);
      writeFileSync(MARKER, JSON.stringify({ run, inputsAt } satisfies Marker));
      return;
    } finally {
      release();
    }
  }
};

let built: Promise<void> | undefined;

/**
 * Builds the server (`npm run build`) unless this vitest run already did: at most once per run,
 * however many files ask at once. For `beforeAll(ensureBuilt, BUILD_TIMEOUT_MS)`.
 */
export const ensureBuilt = (): Promise<void> => (built ??= build());
