/**
 * A streaming answer: an assistant appends 50 deltas a second to one message while 100 sockets of
 * its user watch; every socket must get every delta (`message.delta` events), in order, each
 * within 50 ms (p99) of the append being sent.
 */
import type { BenchContext } from '../bench-context.js';
import { delay } from '../child-server.js';
import { nowMs, percentile } from '../percentile.js';
import type { ScenarioRow } from '../report.js';
import { startWsClients } from '../ws-driver.js';

const USER = 11;
const WATCHERS = 100;
const PER_SECOND = 50;
const DELTA_TYPE = 'message.delta';
const SEQUENCE = /#(\d+)@t=/;

interface SeenEvent {
  readonly type: string;
  readonly offset: number | null;
  readonly text: string;
  readonly latencyMs: number | null;
}

const post = async (ctx: BenchContext, path: string, body: unknown): Promise<{ status: number; body: { message?: { id: number } } }> => {
  const answer = await fetch(`${ctx.server.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.tokenOf(USER)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: answer.status, body: (await answer.json()) as { message?: { id: number } } };
};

export const streaming = async (ctx: BenchContext): Promise<{ rows: ScenarioRow[] }> => {
  const seconds = ctx.quick ? 2 : 5;
  const deltas = seconds * PER_SECOND;
  const sessionId = ctx.seeded.users[USER]!.sessionIds[0]!;
  const scenario = `streaming answer: ${PER_SECOND} appends/s to one message, ${WATCHERS} sockets watching`;
  const bar = 'every delta delivered in order, p99 ≤ 50 ms';
  const ws = startWsClients();
  try {
    await ws.call({ cmd: 'connect', url: ctx.server.wsUrl, groups: [{ group: `u${USER}`, token: ctx.tokenOf(USER), count: WATCHERS }] });
    const started = await post(ctx, `/chat/sessions/${sessionId}/messages`, { text: '', sender: 'assistant', status: 'streaming' });
    if (started.status !== 201 || !started.body.message) throw new Error(`streaming send: ${started.status} ${JSON.stringify(started.body)}`);
    const messageId = started.body.message.id;
    ctx.progress(`streaming: message ${messageId}, ${deltas} appends at ${PER_SECOND}/s to ${WATCHERS} sockets`);
    // One append at a time (their order is the text's), each started on its slot of the 50 a second.
    const origin = nowMs();
    let failed = 0;
    for (let i = 0; i < deltas; i += 1) {
      const wait = origin + (i * 1000) / PER_SECOND - nowMs();
      if (wait > 0) await delay(wait);
      const appended = await post(ctx, `/chat/sessions/${sessionId}/messages/${messageId}/append`, { text: ` #${i}@t=${nowMs().toFixed(3)}` });
      if (appended.status !== 200) failed += 1;
    }
    const rate = deltas / ((nowMs() - origin) / 1000);
    await post(ctx, `/chat/sessions/${sessionId}/messages/${messageId}/complete`, {});
    await delay(500);
    const events = await ws.call<SeenEvent[][]>({ cmd: 'events' });
    const perClient = events.map((seen) => seen.filter((event) => event.type === DELTA_TYPE));
    const delivered = perClient.reduce((sum, seen) => sum + seen.length, 0);
    if (delivered === 0) {
      const types = [...new Set(events.flat().map((event) => event.type))].join(', ');
      return { rows: [{ scenario, rps: rate, p50: null, p99: null, ratio: '—', bar, met: null, note: `no delta events (the server sent ${types || 'nothing'})` }] };
    }
    const inOrder = perClient.filter((seen) => seen.length === deltas && seen.every((event, i) => SEQUENCE.exec(event.text)?.[1] === String(i))).length;
    const latencies = perClient.flatMap((seen) => seen.flatMap((event) => (event.latencyMs === null ? [] : [event.latencyMs])));
    const p99 = percentile(latencies, 99);
    ctx.progress(`streaming: ${inOrder}/${WATCHERS} sockets got all ${deltas} deltas in order, p99 ${p99.toFixed(1)} ms`);
    return {
      rows: [
        {
          scenario,
          rps: rate,
          p50: percentile(latencies, 50),
          p99,
          ratio: `${inOrder}/${WATCHERS} sockets complete and in order, p99 ${p99.toFixed(1)} ms`,
          bar,
          met: failed === 0 && inOrder === WATCHERS && p99 <= 50,
          ...(failed > 0 ? { note: `${failed} appends failed` } : {}),
        },
      ],
    };
  } finally {
    await ws.close();
  }
};
