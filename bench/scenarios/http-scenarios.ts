/** The hot paths against the floor: reading the latest page, sending, listing sessions. */
import { randomBytes } from 'node:crypto';
import { type BenchContext, bearer } from '../bench-context.js';
import type { LoadRequest } from '../load.js';
import type { ScenarioRow } from '../report.js';
import { type Measured, measureAgainstFloor, rowAgainstFloor } from './against-floor.js';

const latest = (ctx: BenchContext, sessionId: number) => (): LoadRequest => ({
  method: 'GET',
  // `before_id` with no value: the latest messages (keyset mode).
  path: `/chat/sessions/${sessionId}/messages?before_id=&limit=50`,
  headers: bearer(ctx.tokenOf(0)),
});

/** A distinct text and client id for every send, so no two are alike and none is a retry. */
const sender = (ctx: BenchContext, target: () => { sessionId: number; userIndex: number }) => {
  let sent = 0;
  return (): LoadRequest => {
    sent += 1;
    const { sessionId, userIndex } = target();
    return {
      method: 'POST',
      path: `/chat/sessions/${sessionId}/messages`,
      headers: bearer(ctx.tokenOf(userIndex)),
      body: JSON.stringify({ text: `bench ${ctx.runId} #${sent}: ${randomBytes(6).toString('hex')} what is the weather like?`, client_id: `${ctx.runId}-${sent}` }),
    };
  };
};

/** Users 1-10 own sessions that nothing else writes to: 100 sessions, no lock shared. */
export const SPREAD_USERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

export interface ReadResults {
  readonly long: Measured;
  readonly short: Measured;
}

export const readLatest = async (ctx: BenchContext): Promise<{ rows: ScenarioRow[]; reads: ReadResults }> => {
  const { longSessionId, shortSessionId, plan } = ctx.seeded;
  const long = await measureAgainstFloor(ctx, 'read latest 50 (long session)', latest(ctx, longSessionId));
  const short = await measureAgainstFloor(ctx, 'read latest 50 (short session)', latest(ctx, shortSessionId));
  const count = (n: number) => n.toLocaleString('en');
  return {
    reads: { long, short },
    rows: [
      rowAgainstFloor(`read latest 50 of a ${count(plan.longMessages)}-message session`, long, 0.6, 2),
      rowAgainstFloor(`read latest 50 of a ${count(plan.shortMessages)}-message session`, short, 0.6, 2),
    ],
  };
};

/** The long session's latest page against the short one's, on the server: no scan grows with the session. */
export const readRatioRow = (ctx: BenchContext, reads: ReadResults): ScenarioRow => {
  const p50 = reads.long.server.p50 / Math.max(reads.short.server.p50, 0.001);
  const p99 = reads.long.server.p99 / Math.max(reads.short.server.p99, 0.001);
  const count = (n: number) => n.toLocaleString('en');
  return {
    scenario: `latest page, ${count(ctx.seeded.plan.longMessages)} vs ${count(ctx.seeded.plan.shortMessages)} messages`,
    rps: reads.long.server.rps,
    p50: reads.long.server.p50,
    p99: reads.long.server.p99,
    ratio: `p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)}`,
    bar: 'latency ratio (p50) ≤ 1.5',
    met: reads.long.server.failures + reads.short.server.failures === 0 && p50 <= 1.5,
  };
};

export const sendToOneSession = async (ctx: BenchContext): Promise<ScenarioRow[]> => {
  // The first user's third session: empty at the start, written by no other scenario.
  const sessionId = ctx.seeded.users[0]!.sessionIds[2]!;
  const measured = await measureAgainstFloor(ctx, 'send to one session', sender(ctx, () => ({ sessionId, userIndex: 0 })));
  return [rowAgainstFloor('send a message (one session, 20 senders)', measured, 0.5, 2)];
};

export const sendSpread = async (ctx: BenchContext): Promise<ScenarioRow[]> => {
  const targets = SPREAD_USERS.flatMap((userIndex) => ctx.seeded.users[userIndex]!.sessionIds.map((sessionId) => ({ sessionId, userIndex })));
  let turn = 0;
  const measured = await measureAgainstFloor(ctx, 'send spread over 100 sessions', sender(ctx, () => targets[(turn += 1) % targets.length]!));
  return [rowAgainstFloor(`send a message, spread over ${targets.length} sessions`, measured, 0.5, 2)];
};

export const listSessions = async (ctx: BenchContext): Promise<ScenarioRow[]> => {
  let turn = 0;
  const measured = await measureAgainstFloor(ctx, 'list sessions', () => ({
    method: 'GET',
    path: '/chat/sessions?page=1',
    headers: bearer(ctx.tokenOf(SPREAD_USERS[(turn += 1) % SPREAD_USERS.length]!)),
  }));
  return [rowAgainstFloor('list sessions, page 1', measured, 0.6, null)];
};
