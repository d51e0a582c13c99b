import { createApi } from '../tests/support/api-client.js';
import { parseExposition, valueOf } from '../tests/support/prometheus-text.js';
import { baseEnv, cleanUp, type Exit, startServer } from '../tests/support/server-process.js';
import { plateauOf, type PlateauRule, type PlateauVerdict } from './plateau.js';
import { openSoakDatabase } from './soak-database.js';
import type { SoakOptions } from './soak-options.js';
import { newTally, runSoakUser, type SoakTally } from './soak-user.js';

/** One reading of the server's process metrics. */
export interface SoakSample {
  /** Milliseconds since the load began. */
  readonly atMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /**
   * What keeps the server's event loop alive: sockets, servers, timers and pending requests
   * (`nodejs_active_resources_total`; the older `nodejs_active_handles_total` leaves timers out,
   * so a timer leaked per request would not show in it).
   */
  readonly handles: number;
  readonly openFds: number;
}

export interface SoakResult {
  readonly options: SoakOptions;
  readonly database: string;
  readonly samples: readonly SoakSample[];
  readonly tally: SoakTally;
  readonly rss: PlateauVerdict;
  readonly handles: PlateauVerdict;
  /** The rules the verdicts applied. */
  readonly rules: { readonly rss: PlateauRule; readonly handles: PlateauRule };
  /** How the server ended on SIGTERM after the run. */
  readonly exit: Exit;
  /** Both plateaus, no request answered otherwise than expected, traffic on the sockets, exit 0. */
  readonly passed: boolean;
}

/**
 * Memory may wander by a tenth once warm (where the collections fall, buffers); a leak of a
 * request's worth of objects at these rates grows far more over a run.
 */
export const RSS_RULE: PlateauRule = { tolerance: 0.1, slack: 0 };
/**
 * Handles follow the connections open at the instant of the sample (each user's fetch pool opens
 * and closes sockets), hence an allowance of one per user, at least five, on top.
 */
export const handlesRule = (users: number): PlateauRule => ({ tolerance: 0.1, slack: Math.max(5, users) });

/**
 * The soak's server keeps 100 events of history per user instead of 1,000: a history is bounded
 * by design, but filling 1,000 per user takes longer than a run, and a cache still filling up
 * looks like a leak. With 100 it is full within the warm-up.
 */
const SOAK_HISTORY_SIZE = '100';

/** About thirty samples per run, neither too often for a long run nor too rarely for a short one. */
const sampleEveryMs = (durationMs: number): number => Math.min(2_000, Math.max(250, Math.round(durationMs / 30)));

/**
 * The soak: the built server (`dist/src/main.js`) as its own process with metrics on, simulated
 * users going round the API with WebSockets and event streams for `durationMs`, the server's RSS
 * and handles read from its own metrics throughout, then SIGTERM. It needs `npm run build` first.
 */
export const runSoak = async (options: SoakOptions, progress: (line: string) => void = () => undefined): Promise<SoakResult> => {
  const database = await openSoakDatabase(options.mysqlUrl);
  try {
    const server = await startServer(baseEnv({ METRICS_PORT: '0', TRUST_PROXY: 'true', EVENT_HISTORY_SIZE: SOAK_HISTORY_SIZE, ...database.env }));
    const announced = await server.waitForLog((line) => line.msg.startsWith('metrics on'));
    const metricsUrl = `http://127.0.0.1:${String(announced['port'])}/metrics`;
    progress(`soak: ${options.users} users for ${options.durationMs / 1000} s against ${database.label}, server pid ${server.child.pid}`);

    const samples: SoakSample[] = [];
    const started = performance.now();
    const sample = async (): Promise<void> => {
      const text = await (await fetch(metricsUrl)).text();
      const metrics = parseExposition(text);
      const read = (name: string): number => {
        const value = valueOf(metrics, name);
        if (value === undefined) throw new Error(`the server's metrics have no ${name}`);
        return value;
      };
      samples.push({
        atMs: Math.round(performance.now() - started),
        rssBytes: read('process_resident_memory_bytes'),
        heapUsedBytes: read('nodejs_heap_size_used_bytes'),
        handles: read('nodejs_active_resources_total'),
        openFds: read('process_open_fds'),
      });
    };
    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = sampling.then(sample);
    }, sampleEveryMs(options.durationMs));

    const tally = newTally();
    const api = createApi(server.baseUrl);
    const context = {
      api,
      wsUrl: server.wsUrl,
      eventsUrl: `${server.baseUrl}/events`,
      deadline: started + options.durationMs,
      pauseMs: options.pauseMs,
      tally,
    };
    await Promise.all(Array.from({ length: options.users }, (_, index) => runSoakUser(index, context)));
    clearInterval(sampler);
    await sampling;

    const exit = await server.stop();
    const rules = { rss: RSS_RULE, handles: handlesRule(options.users) };
    const rss = plateauOf(samples.map((s) => s.rssBytes), rules.rss);
    const handles = plateauOf(samples.map((s) => s.handles), rules.handles);
    const passed = rss.plateau && handles.plateau && tally.failureCount === 0 && tally.eventsReceived > 0 && exit.code === 0;
    return { options, database: database.label, samples, tally, rss, handles, rules, exit, passed };
  } finally {
    await cleanUp();
    await database.drop();
  }
};
