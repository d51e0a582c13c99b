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
  /** How the server ended on SIGTERM after the run. */
  readonly exit: Exit;
  /** Both plateaus, no request answered otherwise than expected, traffic on the sockets, exit 0. */
  readonly passed: boolean;
}

/**
 * Memory may wander by a tenth once warm (GC timing, buffers); a leak of a request's worth of
 * objects at these rates grows far more over a run. Handles follow the connections open at the
 * instant of the sample, hence the allowance of a few on top.
 */
export const RSS_RULE: PlateauRule = { tolerance: 0.1, slack: 0 };
export const HANDLES_RULE: PlateauRule = { tolerance: 0.1, slack: 5 };

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
    const server = await startServer(baseEnv({ METRICS_PORT: '0', TRUST_PROXY: 'true', ...database.env }));
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
    const rss = plateauOf(samples.map((s) => s.rssBytes), RSS_RULE);
    const handles = plateauOf(samples.map((s) => s.handles), HANDLES_RULE);
    const passed = rss.plateau && handles.plateau && tally.failureCount === 0 && tally.eventsReceived > 0 && exit.code === 0;
    return { options, database: database.label, samples, tally, rss, handles, exit, passed };
  } finally {
    await cleanUp();
    await database.drop();
  }
};
