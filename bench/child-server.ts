/**
 * A server under test as its own process: the built chat server or the floor. Its output goes to
 * a file, not through a pipe into this process, so reading logs costs the load generator nothing
 * while it measures; readiness is `GET /health` answering 200.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import WebSocket from 'ws';

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly logFile: string;
  /** Resident set size now, from /proc (kB). */
  rssKb(): number;
  /** CPU time the process has used so far, user + system, from /proc (seconds, in clock ticks of 10 ms). */
  cpuSeconds(): number;
  /**
   * A full garbage collection in the server, asked through its inspector (started with
   * `inspectPort`): what a resident-set reading after it holds is what the server still keeps.
   */
  collectGarbage(): Promise<void>;
  /** SIGTERM and the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** A port free right now on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

export const readRssKb = (pid: number): number => {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
};

// /proc/<pid>/stat counts in clock ticks; Linux's USER_HZ is 100 on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

export const readCpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime
  // are the 14th and 15th of the whole line, so the 12th and 13th after the ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
};

export interface ChildServerSpec {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly port: number;
  readonly cwd: string;
  readonly logFile: string;
  readonly startTimeoutMs?: number;
  /** Starts the process with its inspector on this loopback port (for `collectGarbage`). */
  readonly inspectPort?: number;
}

/** One command over the inspector's WebSocket (Chrome DevTools protocol), answered or failed. */
const inspectorCall = async (port: number, method: string): Promise<void> => {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ id: 1, method })));
      socket.on('message', (data: Buffer) => {
        const answer = JSON.parse(data.toString('utf8')) as { id?: number; error?: { message: string } };
        if (answer.id !== 1) return;
        if (answer.error) reject(new Error(`${method}: ${answer.error.message}`));
        else resolve();
      });
    });
  } finally {
    socket.close();
  }
};

export const startChildServer = async (spec: ChildServerSpec): Promise<ChildServer> => {
  const out = openSync(spec.logFile, 'a');
  const inspect = spec.inspectPort === undefined ? [] : [`--inspect=127.0.0.1:${spec.inspectPort}`];
  const child = spawn(process.execPath, [...inspect, ...spec.args], {
    cwd: spec.cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...spec.env },
    stdio: ['ignore', out, out],
  });
  const baseUrl = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + (spec.startTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${spec.name} exited (${child.exitCode ?? child.signalCode}) before it answered; see ${spec.logFile}:\n${readFileSync(spec.logFile, 'utf8').slice(-2000)}`);
    }
    const ok = await fetch(`${baseUrl}/health`).then((answer) => answer.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.name} did not answer /health in time; see ${spec.logFile}`);
    }
    await delay(100);
  }
  const pid = child.pid!;
  return {
    name: spec.name,
    pid,
    baseUrl,
    wsUrl: `ws://127.0.0.1:${spec.port}/ws`,
    logFile: spec.logFile,
    rssKb: () => readRssKb(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    collectGarbage: () => {
      if (spec.inspectPort === undefined) return Promise.reject(new Error(`${spec.name} was started without an inspector`));
      return inspectorCall(spec.inspectPort, 'HeapProfiler.collectGarbage');
    },
    stop: async () => {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
};
