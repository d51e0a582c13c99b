/**
 * Many accounts logging in at once (not one account: its limit would answer 429), against the
 * machine's bcrypt limit measured in this run (cores ÷ one cost-12 comparison's time), with
 * `GET /health` probed at the same time: hashing must never block the event loop.
 */
import bcrypt from 'bcrypt';
import type { BenchContext } from '../bench-context.js';
import { probeHealth } from '../health-probe.js';
import { runLoad } from '../load.js';
import { percentile } from '../percentile.js';
import type { ScenarioRow } from '../report.js';
import { TOKEN_USERS } from '../seed.js';

/** The seeded users from here on log in only here, and their hashes are cost 12 (the seed). */
const FIRST_STORM_USER = TOKEN_USERS;

/** Milliseconds of one bcrypt comparison at cost 12 on this machine: the median of five, one at a time. */
const oneHashMs = async (password: string): Promise<number> => {
  const hash = await bcrypt.hash(password, 12);
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    await bcrypt.compare(password, hash);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
};

/** Comparisons per second with `threads × 2` queued at once on libuv's pool (4 threads): what the cores really give, beside what the bar assumes. */
const parallelHashesPerSecond = async (password: string, threads: number): Promise<number> => {
  const hash = await bcrypt.hash(password, 12);
  const started = performance.now();
  await Promise.all(Array.from({ length: threads * 2 }, () => bcrypt.compare(password, hash)));
  return (threads * 2) / ((performance.now() - started) / 1000);
};

export const loginStorm = async (ctx: BenchContext): Promise<{ rows: ScenarioRow[]; notes: string[] }> => {
  const { users, password } = ctx.seeded;
  const hashMs = await oneHashMs(password);
  const limit = ctx.cores / (hashMs / 1000);
  const parallel = await parallelHashesPerSecond(password, ctx.cores);
  ctx.progress(`login storm: one cost-12 comparison takes ${hashMs.toFixed(0)} ms here, so ${ctx.cores} cores can do ${limit.toFixed(1)}/s`);
  let turn = 0;
  const accounts = users.length - FIRST_STORM_USER;
  const durationS = ctx.quick ? 3 : 15;
  const [storm, health] = await Promise.all([
    runLoad({
      baseUrl: ctx.server.baseUrl,
      connections: ctx.connections,
      durationS,
      next: () => ({
        method: 'POST',
        path: '/auth/login',
        body: JSON.stringify({ username: users[FIRST_STORM_USER + ((turn += 1) % accounts)]!.username, password }),
      }),
    }),
    // A steady probe beside the storm, as a load balancer's health check would be: 50 a second.
    probeHealth(ctx.server.baseUrl, durationS, 20),
  ]);
  const healthP50 = percentile(health.latenciesMs, 50);
  const healthP99 = percentile(health.latenciesMs, 99);
  ctx.progress(`login storm: ${storm.rps.toFixed(1)} logins/s (${storm.statuses}), /health p99 ${healthP99.toFixed(1)} ms (${health.latenciesMs.length} answered, ${health.failures} failed)`);
  const ratio = storm.rps / limit;
  return {
    rows: [
      {
        scenario: `login storm (bcrypt cost 12, ${accounts} accounts)`,
        rps: storm.rps,
        p50: storm.p50,
        p99: storm.p99,
        ratio: `${ratio.toFixed(2)} × the bcrypt limit (${limit.toFixed(1)}/s)`,
        bar: '≥ 0.8 × the bcrypt limit',
        met: storm.failures === 0 && ratio >= 0.8,
        ...(storm.failures > 0 ? { note: `${storm.failures} failed: ${storm.statuses}` } : {}),
      },
      {
        scenario: '`GET /health` during the login storm',
        rps: health.latenciesMs.length / durationS,
        p50: healthP50,
        p99: healthP99,
        ratio: `p99 ${healthP99.toFixed(1)} ms`,
        bar: 'p99 ≤ 25 ms',
        met: health.failures === 0 && health.latenciesMs.length > 0 && healthP99 <= 25,
        ...(health.failures > 0 ? { note: `${health.failures} probes failed` } : {}),
      },
    ],
    notes: [`Login storm: one cost-12 bcrypt comparison took ${hashMs.toFixed(0)} ms in the harness's process (median of 5), so the limit is ${ctx.cores} ÷ that = ${limit.toFixed(1)} logins/s; ${ctx.cores * 2} comparisons at once there (libuv's pool of 4) gave ${parallel.toFixed(1)}/s (the login storm is ${(storm.rps / parallel).toFixed(2)} × that).`],
  };
};
