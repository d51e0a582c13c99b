import { createServer, type ServerResponse, type Server } from 'node:http';
import type { PrometheusMetrics } from './prometheus-metrics.js';

export const METRICS_PATH = '/metrics';

const answerJson = (response: ServerResponse, status: number, body: { error: string; code: string }, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
};

/**
 * The second listener (`METRICS_PORT`): `GET /metrics` in Prometheus text, and nothing else. It is
 * not the API: a bare node:http server with no routes, no authentication and no body parsing, for a
 * scraper on a private network. Kept off the public port, where `/metrics` is a 404.
 */
export const createMetricsServer = (metrics: PrometheusMetrics): Server =>
  createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) return answerJson(response, 404, { error: 'Not found', code: 'route_not_found' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return answerJson(response, 405, { error: 'Method not allowed', code: 'method_not_allowed' }, { Allow: 'GET, HEAD' });
    }
    metrics.exposition().then(
      ({ contentType, text }) => {
        response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      () => answerJson(response, 500, { error: 'Internal server error', code: 'internal' }),
    );
  });
