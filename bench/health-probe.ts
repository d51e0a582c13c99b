/**
 * `GET /health` probed the way a load balancer does it, in a process of its own: one request every
 * `intervalMs` on a kept-alive connection, each timed from send to the end of the answer. Apart
 * from the load generator on purpose: a probe that shares the storm's event loop (autocannon's
 * rate-limited mode, in the harness) measures its own queueing as well as the server's answer.
 *
 * Forked by `probeHealth`; answers `{ latenciesMs, failures }` over IPC when done.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export interface HealthProbeResult {
  readonly latenciesMs: readonly number[];
  /** Answers other than 200, and requests that failed. */
  readonly failures: number;
}

interface ProbeSpec {
  readonly url: string;
  readonly durationS: number;
  readonly intervalMs: number;
}

const probe = (spec: ProbeSpec): Promise<HealthProbeResult> =>
  new Promise((resolve) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const latenciesMs: number[] = [];
    let failures = 0;
    let pending = 0;
    const deadline = performance.now() + spec.durationS * 1000;
    const settle = () => {
      if (pending === 0 && performance.now() >= deadline) {
        agent.destroy();
        resolve({ latenciesMs, failures });
      }
    };
    const one = () => {
      const started = performance.now();
      pending += 1;
      const request = http.get(spec.url, { agent, timeout: 30_000 }, (answer) => {
        answer.resume();
        answer.on('end', () => {
          if (answer.statusCode === 200) latenciesMs.push(performance.now() - started);
          else failures += 1;
          pending -= 1;
          settle();
        });
      });
      // `timeout` only tells; a probe that got no answer in time is a failure, and must end.
      request.on('timeout', () => request.destroy(new Error('no answer in time')));
      request.on('error', () => {
        failures += 1;
        pending -= 1;
        settle();
      });
    };
    const timer = setInterval(() => {
      if (performance.now() >= deadline) {
        clearInterval(timer);
        settle();
      } else one();
    }, spec.intervalMs);
  });

/** Runs the probe in a child process for `durationS` seconds. */
export const probeHealth = (baseUrl: string, durationS: number, intervalMs = 20): Promise<HealthProbeResult> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result: HealthProbeResult) => {
      resolve(result);
      child.disconnect();
    });
    child.once('exit', (code) => reject(new Error(`the health probe exited (${code}) without an answer`)));
    child.send({ url: `${baseUrl}/health`, durationS, intervalMs } satisfies ProbeSpec);
  });

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (spec: ProbeSpec) => {
    void probe(spec).then((result) => process.send!(result, () => process.exit(0)));
  });
}
