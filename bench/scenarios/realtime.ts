/** Real time: fan-out to a thousand sockets of one user, and a reconnect storm resumed with `since`. */
import type { BenchContext } from '../bench-context.js';
import { delay } from '../child-server.js';
import { nowMs, percentile } from '../percentile.js';
import type { ScenarioRow } from '../report.js';
import { startWsClients, type WsDriver } from '../ws-driver.js';
import type { WsReport } from '../ws-clients.js';

/** POSTs one message stamped with the send time; the stored message's id. */
export const sendStamped = async (ctx: BenchContext, userIndex: number, sessionId: number, label: string): Promise<number> => {
  const answer = await fetch(`${ctx.server.baseUrl}/chat/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.tokenOf(userIndex)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: `${label} @t=${nowMs().toFixed(3)}` }),
  });
  const body = (await answer.json()) as { message?: { id: number } };
  if (answer.status !== 201 || !body.message) throw new Error(`send for the real-time scenarios: ${answer.status} ${JSON.stringify(body)}`);
  return body.message.id;
};

/** Polls the clients until `done` holds of their report, or `timeoutMs` passes; the last report. */
const reportWhen = async (ws: WsDriver, expected: Record<string, number[]>, done: (report: WsReport) => boolean, timeoutMs: number): Promise<WsReport> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await ws.call<WsReport>({ cmd: 'report', expected });
    if (done(report) || Date.now() > deadline) return report;
    await delay(100);
  }
};

export const fanOut = async (ctx: BenchContext): Promise<{ rows: ScenarioRow[] }> => {
  const clients = 1_000;
  const messages = ctx.quick ? 5 : 30;
  const sessionId = ctx.seeded.users[0]!.sessionIds[4]!;
  const ws = startWsClients();
  try {
    const connected = await ws.call<{ ms: number }>({ cmd: 'connect', url: ctx.server.wsUrl, groups: [{ group: 'u0', token: ctx.tokenOf(0), count: clients }] });
    ctx.progress(`fan-out: ${clients} sockets of one user ready in ${connected.ms.toFixed(0)} ms; sending ${messages} messages, 100 ms apart`);
    const started = nowMs();
    const ids: number[] = [];
    for (let i = 0; i < messages; i += 1) {
      ids.push(await sendStamped(ctx, 0, sessionId, `fan-out ${ctx.runId} #${i}`));
      await delay(100);
    }
    const expected = clients * messages;
    const report = await reportWhen(ws, { u0: ids }, (r) => r.deliveries >= expected, 10_000);
    const elapsedS = (nowMs() - started) / 1000;
    const p99 = percentile(report.latencies, 99);
    const complete = report.deliveries === expected && report.wrong === 0 && report.gaps === 0;
    ctx.progress(`fan-out: ${report.deliveries}/${expected} deliveries, p99 ${p99.toFixed(1)} ms`);
    return {
      rows: [
        {
          scenario: `WebSocket fan-out: ${clients} sockets of one user, ${messages} messages`,
          rps: report.deliveries / elapsedS,
          p50: percentile(report.latencies, 50),
          p99,
          ratio: `${report.deliveries}/${expected} delivered, p99 ${p99.toFixed(1)} ms`,
          bar: 'every socket gets every message, p99 delivery ≤ 100 ms',
          met: complete && p99 <= 100,
          ...(complete ? {} : { note: `${report.wrong} sockets wrong, ${report.gaps} offset gaps` }),
        },
      ],
    };
  } finally {
    await ws.close();
  }
};

export const reconnectStorm = async (ctx: BenchContext): Promise<{ rows: ScenarioRow[] }> => {
  const users = Array.from({ length: 50 }, (_, i) => 20 + i);
  const perUser = 20;
  const ws = startWsClients();
  try {
    const connected = await ws.call<{ ms: number }>({
      cmd: 'connect',
      url: ctx.server.wsUrl,
      groups: users.map((index) => ({ group: `u${index}`, token: ctx.tokenOf(index), count: perUser })),
    });
    ctx.progress(`reconnect storm: ${users.length * perUser} sockets ready in ${connected.ms.toFixed(0)} ms; users sending`);
    // Each user keeps sending, one message at a time, every 400 ms: before, during and after the drop.
    const sent: Record<string, number[]> = Object.fromEntries(users.map((index) => [`u${index}`, []]));
    let sending = true;
    let sends = 0;
    const sendersStarted = nowMs();
    const senders = users.map(async (index) => {
      const sessionId = ctx.seeded.users[index]!.sessionIds[0]!;
      while (sending) {
        sent[`u${index}`]!.push(await sendStamped(ctx, index, sessionId, `storm ${ctx.runId} u${index} #${sends}`));
        sends += 1;
        await delay(400);
      }
    });
    await delay(1000);
    const dropped = await ws.call<{ ms: number; recovered: number }>({ cmd: 'drop' });
    ctx.progress(`reconnect storm: all ${users.length * perUser} dropped and resumed in ${dropped.ms.toFixed(0)} ms, ${dropped.recovered} recovered`);
    await delay(1500);
    sending = false;
    await Promise.all(senders);
    const sendRate = sends / ((nowMs() - sendersStarted) / 1000);
    const total = Object.values(sent).reduce((sum, ids) => sum + ids.length, 0);
    const report = await reportWhen(ws, sent, (r) => r.deliveries >= total * perUser, 5_000);
    const clients = users.length * perUser;
    const flawless = dropped.recovered === clients && report.wrong === 0 && report.missing === 0 && report.doubled === 0 && report.gaps === 0;
    return {
      rows: [
        {
          scenario: `reconnect storm: ${users.length} users × ${perUser} sockets dropped, resumed with \`since\``,
          rps: sendRate,
          p50: percentile(report.latencies, 50),
          p99: percentile(report.latencies, 99),
          ratio: `${dropped.recovered}/${clients} recovered in ${(dropped.ms / 1000).toFixed(2)} s; ${report.missing} missing, ${report.doubled} doubled`,
          bar: 'every one recovered, none missing or doubled, within 5 s',
          met: flawless && dropped.ms <= 5_000,
          ...(flawless ? {} : { note: `${report.wrong} sockets wrong, ${report.gaps} offset gaps` }),
        },
      ],
    };
  } finally {
    await ws.close();
  }
};
