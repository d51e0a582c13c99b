import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ObservedRequest, RequestObserver } from '../http/middleware/request-metrics.middleware.js';
import type { PoolUse } from '../persistence/persistence.js';
import type { RealtimeTransport } from '../realtime/realtime-connections.js';
import type { EventMeter } from './metered.event-streams.js';

/** What the gauges read at each scrape: state that others own. */
export interface MetricsSources {
  /** The open WebSocket and event-stream connections, by transport. */
  readonly connections: () => Readonly<Record<RealtimeTransport, number>>;
  /** The database pool's use, or null when the storage has no pool (memory). */
  readonly pool: () => PoolUse | null;
}

const TOO_MANY_REQUESTS = 429;

/**
 * The server's metrics in a registry of their own (not prom-client's global one, so two servers in
 * one process never mix), as Prometheus text for `GET /metrics` (API.md, "Operations"). Every
 * label has a bounded set of values: routes by pattern, statuses, methods, event types, the
 * refusal codes of the HTTP server.
 */
export class PrometheusMetrics implements RequestObserver, EventMeter {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly rateLimited: Counter<'route'>;
  private readonly refused: Counter<'code'>;
  private readonly eventsPublished: Counter<'type'>;
  private readonly eventsDelivered: Counter<'type'>;
  private sources: MetricsSources = { connections: () => ({ websocket: 0, event_stream: 0 }), pool: () => null };

  constructor() {
    // Node's process metrics: memory (RSS, heap), CPU, open file descriptors, active handles,
    // event-loop lag, GC. The soak reads its plateau from these.
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Histogram({
      name: 'chat_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (to its headers, for an event stream), by method, route pattern and status; _count counts the requests.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'chat_http_rate_limited_total',
      help: 'Requests answered 429 (a rate limit or the connection cap), by route pattern.',
      labelNames: ['route'],
      registers,
    });
    this.refused = new Counter({
      name: 'chat_http_refused_total',
      help: 'Requests the HTTP server answered before the app saw them: request_timeout (a slow client), bad_request, headers_too_large.',
      labelNames: ['code'],
      registers,
    });
    this.eventsPublished = new Counter({
      name: 'chat_realtime_events_published_total',
      help: 'Events this instance published, by type.',
      labelNames: ['type'],
      registers,
    });
    this.eventsDelivered = new Counter({
      name: 'chat_realtime_events_delivered_total',
      help: "Events handed to this instance's WebSockets and event streams (replays included), by type.",
      labelNames: ['type'],
      registers,
    });
    const sources = (): MetricsSources => this.sources;
    new Gauge({
      name: 'chat_realtime_connections',
      help: 'Open real-time connections (authenticated WebSockets, event streams), by transport.',
      labelNames: ['transport'],
      registers,
      collect() {
        for (const [transport, count] of Object.entries(sources().connections())) this.set({ transport }, count);
      },
    });
    const poolGauge = (name: string, help: string, read: (pool: PoolUse) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const pool = sources().pool();
          // No pool (memory): no sample, rather than a zero that would read as an idle pool.
          if (pool) this.set(read(pool));
          else this.reset();
        },
      });
    };
    poolGauge('chat_db_pool_connections_used', 'Database connections handed out to a query or transaction.', (pool) => pool.used);
    poolGauge('chat_db_pool_connections_free', 'Open database connections idle in the pool.', (pool) => pool.free);
    poolGauge('chat_db_pool_pending_acquires', 'Requests waiting for a database connection.', (pool) => pool.pendingAcquires);
    poolGauge('chat_db_pool_connections_max', 'The most connections the pool opens (DB_POOL_MAX; 1 for SQLite).', (pool) => pool.max);
  }

  /** Where the gauges read from; until called they show no connections and no pool. */
  readFrom(sources: MetricsSources): void {
    this.sources = sources;
  }

  observeRequest({ method, route, status, seconds }: ObservedRequest): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
    if (status === TOO_MANY_REQUESTS) this.rateLimited.inc({ route });
  }

  refusedByServer(code: string): void {
    this.refused.inc({ code });
  }

  published(type: string): void {
    this.eventsPublished.inc({ type });
  }

  delivered(type: string): void {
    this.eventsDelivered.inc({ type });
  }

  /** The Prometheus text exposition of every metric, and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
