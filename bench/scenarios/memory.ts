/**
 * Memory: the server's resident set after 5,000 mixed requests, then after 50,000 (45,000 more).
 * A steady server levels off; an identity map or listener that keeps what each request touched
 * grows with the count. Each reading follows a full garbage collection in the server (through its
 * inspector), so that it counts what the server keeps, not how far its heap happened to have
 * grown since the last collection: without it, two full runs in a row read 0.81 × and 1.25 ×
 * (builds that differed only in how timestamps are formatted), while 150,000 requests on one
 * server levelled off at 167-180 MiB.
 */
import { type BenchContext, bearer } from '../bench-context.js';
import { delay } from '../child-server.js';
import { type LoadRequest, runLoad } from '../load.js';
import type { ScenarioRow } from '../report.js';
import { SPREAD_USERS } from './http-scenarios.js';

export const memory = async (ctx: BenchContext): Promise<{ rows: ScenarioRow[] }> => {
  // Quick mode checks the mechanism at a tenth of the counts.
  const first = ctx.quick ? 200 : 5_000;
  const total = ctx.quick ? 2_000 : 50_000;
  const owner = ctx.seeded.users[0]!;
  const sendTo = owner.sessionIds[3]!;
  let turn = 0;
  const next = (): LoadRequest => {
    turn += 1;
    switch (turn % 4) {
      case 0:
        return {
          method: 'POST',
          path: `/chat/sessions/${sendTo}/messages`,
          headers: bearer(ctx.tokenOf(0)),
          body: JSON.stringify({ text: `memory ${ctx.runId} #${turn}`, client_id: `${ctx.runId}-mem-${turn}` }),
        };
      case 1:
        return { method: 'GET', path: `/chat/sessions/${ctx.seeded.shortSessionId}/messages?before_id=&limit=50`, headers: bearer(ctx.tokenOf(0)) };
      case 2:
        return { method: 'GET', path: `/chat/sessions/${ctx.seeded.longSessionId}/messages?before_id=&limit=50`, headers: bearer(ctx.tokenOf(0)) };
      default:
        return { method: 'GET', path: '/chat/sessions?page=1', headers: bearer(ctx.tokenOf(SPREAD_USERS[turn % SPREAD_USERS.length]!)) };
    }
  };
  const settledRss = async (): Promise<number> => {
    await ctx.server.collectGarbage();
    await delay(1000);
    return ctx.server.rssKb();
  };
  const warm = await runLoad({ baseUrl: ctx.server.baseUrl, connections: ctx.connections, amount: first, next });
  const rssFirst = await settledRss();
  ctx.progress(`memory: RSS ${(rssFirst / 1024).toFixed(1)} MiB after ${first} mixed requests`);
  const rest = await runLoad({ baseUrl: ctx.server.baseUrl, connections: ctx.connections, amount: total - first, next });
  const rssTotal = await settledRss();
  const ratio = rssTotal / rssFirst;
  ctx.progress(`memory: RSS ${(rssTotal / 1024).toFixed(1)} MiB after ${total} (${ratio.toFixed(3)} ×)`);
  const failures = warm.failures + rest.failures;
  return {
    rows: [
      {
        scenario: `memory: RSS after ${total.toLocaleString('en')} vs ${first.toLocaleString('en')} mixed requests`,
        rps: rest.rps,
        p50: rest.p50,
        p99: rest.p99,
        ratio: `${ratio.toFixed(3)} × (${(rssFirst / 1024).toFixed(0)} → ${(rssTotal / 1024).toFixed(0)} MiB)`,
        bar: '≤ 1.1 ×',
        met: failures === 0 && ratio <= 1.1,
        ...(failures > 0 ? { note: `${failures} failed: ${warm.statuses}; ${rest.statuses}` } : {}),
      },
    ],
  };
};
