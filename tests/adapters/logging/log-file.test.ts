/**
 * Log lines to a file are written in batches, and none is lost when the process ends: the
 * logger in a process of its own, its stdout on a temporary file.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_FLUSH_MS } from '../../../src/adapters/logging/create-logger.js';

const FIXTURE = join(import.meta.dirname, 'log-to-file.fixture.ts');
const dir = mkdtempSync(join(tmpdir(), 'log-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly file: string;
  /** What the process said on stderr so far. */
  stderr(): string;
  readonly exited: Promise<number | null>;
  /** Whether it is still running. */
  running(): boolean;
}

let runs = 0;
const run = (mode: 'idle' | 'exit' | 'crash' | 'two', count: number): Run => {
  runs += 1;
  const file = join(dir, `run-${runs}.log`);
  const out = openSync(file, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode, String(count)], { stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { file, stderr: () => stderr, exited, running: () => child.exitCode === null && child.signalCode === null };
};

const linesOf = (file: string): number[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => (JSON.parse(text) as { line: number }).line);

/** The line numbers a run of `count` lines logs, in order. */
const oneTo = (count: number): number[] => Array.from({ length: count }, (_, index) => index + 1);

const untilSaid = async (target: Run, text: string): Promise<void> => {
  for (let waited = 0; !target.stderr().includes(text); waited += 10) {
    if (waited > 15_000) throw new Error(`the process never said "${text}"; stderr: ${target.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('log lines to a file', () => {
  it('when a quiet process logs one line, it is not written at once but within the flush interval, while the process runs', async () => {
    const quiet = run('idle', 1);
    await untilSaid(quiet, 'bytes after logging');
    expect(quiet.stderr()).toContain('bytes after logging: 0\n');
    const said = Date.now();
    while (linesOf(quiet.file).length === 0 && Date.now() - said < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(linesOf(quiet.file)).toEqual([1]);
    // Written by the periodic flush (the process is still running), not by its exit.
    expect(quiet.running()).toBe(true);
    expect(Date.now() - said).toBeLessThan(FILE_FLUSH_MS + 1_000);
    await quiet.exited;
  }, 20_000);

  it('when a process logs many lines, they are written in batches before it ends', async () => {
    const busy = run('idle', 200);
    await untilSaid(busy, 'bytes after logging');
    const written = Number(/bytes after logging: (\d+)/.exec(busy.stderr())?.[1]);
    await busy.exited;
    // Some batches were out already, and the last lines still waited for the next write.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(readFileSync(busy.file).byteLength);
    expect(linesOf(busy.file)).toEqual(oneTo(200));
  }, 20_000);

  it('when the process calls process.exit right after logging, every line is in the file, in order', async () => {
    const exiting = run('exit', 500);
    expect(await exiting.exited).toBe(0);
    expect(linesOf(exiting.file)).toEqual(oneTo(500));
  }, 20_000);

  it('when the process dies of an uncaught error right after logging, every line is in the file, in order', async () => {
    const crashing = run('crash', 500);
    expect(await crashing.exited).toBe(1);
    expect(crashing.stderr()).toContain('the process fails');
    expect(linesOf(crashing.file)).toEqual(oneTo(500));
  }, 20_000);

  it('when two loggers of one process log in turn, their lines reach the file in the order they were logged', async () => {
    const both = run('two', 300);
    expect(await both.exited).toBe(0);
    expect(linesOf(both.file)).toEqual(oneTo(300));
  }, 20_000);
});
