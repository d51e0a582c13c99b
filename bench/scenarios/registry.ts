/** Every scenario by the name `--profile` takes, in the order a run goes through them. */
import type { BenchContext } from '../bench-context.js';
import type { ScenarioRow } from '../report.js';
import { loginStorm } from './login-storm.js';
import { memory } from './memory.js';
import { fanOut, reconnectStorm } from './realtime.js';
import { streaming } from './streaming.js';
import { listSessions, readLatest, readRatioRow, sendSpread, sendToOneSession } from './http-scenarios.js';

export interface ScenarioOutcome {
  readonly rows: readonly ScenarioRow[];
  /** Lines for the results file under the table. */
  readonly notes?: readonly string[];
}

export const SCENARIOS = {
  'read-latest': async (ctx: BenchContext): Promise<ScenarioOutcome> => {
    const { rows, reads } = await readLatest(ctx);
    return { rows: [...rows, readRatioRow(ctx, reads)] };
  },
  'send-one': async (ctx: BenchContext): Promise<ScenarioOutcome> => ({ rows: await sendToOneSession(ctx) }),
  'send-spread': async (ctx: BenchContext): Promise<ScenarioOutcome> => ({ rows: await sendSpread(ctx) }),
  'list-sessions': async (ctx: BenchContext): Promise<ScenarioOutcome> => ({ rows: await listSessions(ctx) }),
  'login-storm': loginStorm,
  memory,
  'ws-fanout': fanOut,
  'reconnect-storm': reconnectStorm,
  streaming,
} satisfies Record<string, (ctx: BenchContext) => Promise<ScenarioOutcome>>;

export type ScenarioName = keyof typeof SCENARIOS;
