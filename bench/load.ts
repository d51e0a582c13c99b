/** autocannon as a library: a fixed number of connections for a fixed time (or amount), varied requests. */
import autocannon from 'autocannon';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface LoadSpec {
  readonly baseUrl: string;
  readonly connections: number;
  /** Seconds; or `amount` requests, whichever is given. */
  readonly durationS?: number;
  readonly amount?: number;
  /** Requests per second over all connections (for a probe beside a load), else as fast as answered. */
  readonly overallRate?: number;
  /** Called for every request: each one can differ (texts, client ids, users). */
  readonly next: () => LoadRequest;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Answers outside 2xx, and requests that got no answer (errors, timeouts). */
  readonly failures: number;
  /** e.g. `201×5400 503×12`: what the answers were, to tell a failure's cause. */
  readonly statuses: string;
  readonly durationS: number;
}

export const runLoad = async (spec: LoadSpec): Promise<LoadResult> => {
  const result = await autocannon({
    url: spec.baseUrl,
    connections: spec.connections,
    ...(spec.amount === undefined ? { duration: spec.durationS ?? 10 } : { amount: spec.amount }),
    ...(spec.overallRate === undefined ? {} : { overallRate: spec.overallRate }),
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const next = spec.next();
          return {
            ...request,
            method: next.method,
            path: next.path,
            headers: { ...(next.body === undefined ? {} : { 'content-type': 'application/json' }), ...next.headers },
            ...(next.body === undefined ? {} : { body: next.body }),
          };
        },
      },
    ],
  });
  const durationS = result.duration;
  return {
    requests: result.requests.total,
    rps: result.requests.total / durationS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    statuses: [
      ...Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => `${code}×${stat.count ?? 0}`),
      ...(result.errors > 0 ? [`errors×${result.errors}`] : []),
      ...(result.timeouts > 0 ? [`timeouts×${result.timeouts}`] : []),
    ].join(' '),
    durationS,
  };
};
