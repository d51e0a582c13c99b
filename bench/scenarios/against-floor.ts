/**
 * One request pattern against the server and the floor: a warm-up on each, then measured runs
 * alternating server, floor, server, floor… so that drift (the database's buffer pool, the
 * machine's other work) falls on both alike. The figures are the means over the rounds.
 */
import type { BenchContext } from '../bench-context.js';
import { type LoadRequest, type LoadResult, runLoad } from '../load.js';
import type { ScenarioRow } from '../report.js';

/** A server's measured runs: their mean, and the CPU the server process spent per request in them. */
export interface MeasuredServer extends LoadResult {
  /** Microseconds of the server's CPU (user + system) per answered request: the server's own work, which other processes' load moves less than a rate (a slow machine still raises it). */
  readonly cpuUsPerRequest: number;
}

export interface Measured {
  readonly server: MeasuredServer;
  readonly floor: MeasuredServer | null;
}

const mean = (results: readonly LoadResult[]): LoadResult => {
  const avg = (pick: (result: LoadResult) => number) => results.reduce((sum, result) => sum + pick(result), 0) / results.length;
  return {
    requests: avg((r) => r.requests),
    rps: avg((r) => r.rps),
    p50: avg((r) => r.p50),
    p99: avg((r) => r.p99),
    failures: results.reduce((sum, result) => sum + result.failures, 0),
    statuses: results.map((result) => result.statuses).join('; '),
    durationS: avg((r) => r.durationS),
  };
};

export const measureAgainstFloor = async (ctx: BenchContext, label: string, next: () => LoadRequest): Promise<Measured> => {
  const targets = ctx.floor === null ? [ctx.server] : [ctx.server, ctx.floor];
  for (const target of targets) {
    ctx.progress(`${label}: warm-up on the ${target.name} (${ctx.warmupS} s)`);
    await runLoad({ baseUrl: target.baseUrl, connections: ctx.connections, durationS: ctx.warmupS, next });
  }
  const runs = new Map<string, LoadResult[]>(targets.map((target) => [target.name, []]));
  const cpu = new Map<string, number>(targets.map((target) => [target.name, 0]));
  for (let round = 1; round <= ctx.rounds; round += 1) {
    for (const target of targets) {
      const cpuBefore = target.cpuSeconds();
      const result = await runLoad({ baseUrl: target.baseUrl, connections: ctx.connections, durationS: ctx.durationS, next });
      const cpuSpent = target.cpuSeconds() - cpuBefore;
      cpu.set(target.name, cpu.get(target.name)! + cpuSpent);
      ctx.progress(
        `${label}: ${target.name} round ${round}/${ctx.rounds}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
          `${perRequestUs(cpuSpent, result.requests).toFixed(0)} µs CPU/request` +
          (result.failures > 0 ? `, ${result.failures} failed (${result.statuses})` : ''),
      );
      runs.get(target.name)!.push(result);
    }
  }
  const measured = (name: string): MeasuredServer => {
    const results = runs.get(name)!;
    return { ...mean(results), cpuUsPerRequest: perRequestUs(cpu.get(name)!, results.reduce((sum, result) => sum + result.requests, 0)) };
  };
  return { server: measured(ctx.server.name), floor: ctx.floor === null ? null : measured(ctx.floor.name) };
};

const perRequestUs = (cpuSeconds: number, requests: number): number => (requests === 0 ? 0 : (cpuSeconds * 1e6) / requests);

/** A row judged against the floor: throughput at least `minRatio` of it, p99 at most `maxP99Ratio` of its (when given). */
export const rowAgainstFloor = (scenario: string, measured: Measured, minRatio: number, maxP99Ratio: number | null): ScenarioRow => {
  const { server, floor } = measured;
  const bar = `≥ ${minRatio} × floor req/s${maxP99Ratio === null ? '' : `, p99 ≤ ${maxP99Ratio} × floor p99`}`;
  const failures = server.failures + (floor?.failures ?? 0);
  const base = { scenario, rps: server.rps, p50: server.p50, p99: server.p99, floorRps: floor?.rps ?? null, floorP99: floor?.p99 ?? null, bar };
  if (floor === null) return { ...base, ratio: '—', met: false, note: 'no floor to compare with' };
  const ratio = server.rps / floor.rps;
  const p99Ratio = server.p99 / Math.max(floor.p99, 1);
  const met = failures === 0 && ratio >= minRatio && (maxP99Ratio === null || p99Ratio <= maxP99Ratio);
  return {
    ...base,
    ratio: `${ratio.toFixed(2)} × (p99 ${p99Ratio.toFixed(1)} ×)`,
    met,
    cpuUs: { server: server.cpuUsPerRequest, floor: floor.cpuUsPerRequest },
    ...(failures > 0 ? { note: `${failures} requests failed` } : {}),
  };
};
