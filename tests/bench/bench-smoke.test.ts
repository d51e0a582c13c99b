/**
 * The benchmark harness works: `npm run bench -- --quick --sqlite` (with `--no-build`: the build
 * is this run's, shared with the other process tests) starts the built server and the floor,
 * runs every scenario briefly and prints the table. It checks that every scenario has its row
 * with figures, not that the bars are met: CI's machine and a quick run say nothing about speed.
 */
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT } from '../support/server-process.js';

beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

/** Each row the table must hold, by how its scenario cell begins. */
const SCENARIO_ROWS = [
  'read latest 50 of a 1,000,000-message session',
  'read latest 50 of a 1,000-message session',
  'latest page, 1,000,000 vs 1,000 messages',
  'send a message (one session',
  'send a message, spread over 100 sessions',
  'list sessions, page 1',
  'login storm',
  '`GET /health` during the login storm',
  'memory: RSS after',
  'WebSocket fan-out',
  'reconnect storm',
  'streaming answer',
];
/** Rows compared with the floor, whose floor columns must hold figures too. */
const FLOOR_ROWS = SCENARIO_ROWS.slice(0, 2).concat(SCENARIO_ROWS.slice(3, 6));

const run = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile('npm', ['run', 'bench', '--silent', '--', '--quick', '--sqlite', '--no-build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

const NUMBER = /^\d+(\.\d+)?$/;

describe('npm run bench -- --quick --sqlite', () => {
  it('runs every scenario against the built server and the floor and prints the table with a figure in every row', async () => {
    const { code, stdout, stderr } = await run();
    const context = `${stdout}\n${stderr}`;
    // 0: every bar met, 1: one is not; 2 would be the harness failing.
    expect([0, 1], context).toContain(code);

    const table = stdout.slice(stdout.lastIndexOf('| scenario |'));
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| scenario') && !line.startsWith('| ---'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| /, '').replace(/ \|$/, '').trim()));
    for (const scenario of SCENARIO_ROWS) {
      const row = rows.find((cells) => cells[0]!.startsWith(scenario));
      expect(row, `no row for "${scenario}" in:\n${table}`).toBeDefined();
      const [, rps, p50, p99, floorRps, floorP99] = row!;
      expect([rps, p50, p99], `${scenario}: ${row!.join(' | ')}`).toEqual([expect.stringMatching(NUMBER), expect.stringMatching(NUMBER), expect.stringMatching(NUMBER)]);
      if (FLOOR_ROWS.includes(scenario)) expect([floorRps, floorP99], `${scenario}: ${row!.join(' | ')}`).toEqual([expect.stringMatching(NUMBER), expect.stringMatching(NUMBER)]);
    }
    expect(rows).toHaveLength(SCENARIO_ROWS.length);
  }, 150_000);
});
