import cors from '@koa/cors';
import type Router from '@koa/router';
import { createRouter } from './routers/create-router.js';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { UseCases } from '../../application/use-cases.js';
import { HttpProblem } from './http-problem.js';
import type { HttpState } from './http-state.js';
import { errorHandler } from './middleware/error-handler.middleware.js';
import { jsonBody } from './middleware/json-body.middleware.js';
import { requestLog } from './middleware/request-log.middleware.js';
import { requestMetrics, type RequestObserver } from './middleware/request-metrics.middleware.js';
import { securityHeaders } from './middleware/security-headers.middleware.js';
import { createDocsRouter } from './routers/docs.router.js';
import { createAuthRouter } from './routers/auth.router.js';
import { createChatRouter } from './routers/chat.router.js';
import { createOperationsRouter, type ReadinessChecks } from './routers/operations.router.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { messageRequests } from './request-schemas.js';
import { messageTextFields } from '../../application/validation/fields.js';
import { createRealtimeRouter, type RealtimeRouterOptions } from '../realtime/realtime.router.js';
import type { WebClientFiles } from './web-client/web-client-files.js';
import { serveWebClient } from './web-client/web-client.router.js';

export interface HttpAppOptions {
  readonly useCases: UseCases;
  readonly logger: Logger;
  /** What `/ready` asks: the database, and Redis when the streams live there. */
  readonly readiness: ReadinessChecks;
  readonly bodyLimitBytes: number;
  readonly corsOrigins: readonly string[];
  /** Believe `X-Forwarded-For` for the client address (only behind your own proxy). */
  readonly trustProxy: boolean;
  readonly version: string;
  /** The longest a message's text may be, in characters (`MESSAGE_MAX_CHARS`). */
  readonly messageMaxChars: number;
  /** What `GET /events` streams from, and the connections it counts against. */
  readonly realtime: Omit<RealtimeRouterOptions, 'authenticate'>;
  /** Told of every answer, when metrics are on. */
  readonly requestObserver?: RequestObserver;
  /** The reference web client's files, served at `/` and `/web/`; null serves no client (`WEB_CLIENT=false`). */
  readonly webClient: WebClientFiles | null;
}

/**
 * The root router: every route of the API, one area router each. Exported so a test can hold the
 * routes the app really serves against the OpenAPI document (`router.stack`).
 */
export const createApiRouter = (
  options: Pick<HttpAppOptions, 'useCases' | 'readiness' | 'version' | 'realtime' | 'messageMaxChars'>,
): Router<HttpState> => {
  const router = createRouter();
  const { messageMaxChars } = options;
  for (const area of [
    createOperationsRouter(options.readiness),
    createDocsRouter(buildOpenApiDocument({ version: options.version, messageMaxChars })),
    createAuthRouter(options.useCases),
    // The text rules the use cases validate with, under the same limit.
    createChatRouter(options.useCases, messageRequests(messageTextFields(messageMaxChars))),
    createRealtimeRouter({ ...options.realtime, authenticate: options.useCases.authenticate }),
  ]) {
    router.use(area.routes());
  }
  return router;
};

/** The Koa application: every route of the API behind the shared middleware. */
export const createHttpApp = (options: HttpAppOptions): Koa<HttpState> => {
  // Behind one proxy of ours, the client is the last address it appended to X-Forwarded-For;
  // anything to the left of it was written by the client and proves nothing.
  const app = new Koa<HttpState>({ proxy: options.trustProxy, maxIpsCount: 1 });
  // Errors are answered and logged by `errorHandler`; Koa's own printer would log them twice.
  app.silent = true;

  const allowedOrigins = new Set(options.corsOrigins);
  const router = createApiRouter(options);

  app.use(requestLog(options.logger));
  if (options.requestObserver) app.use(requestMetrics(options.requestObserver));
  app.use(errorHandler());
  app.use(securityHeaders());
  const corsForListedOrigin = cors({
    origin: (ctx) => ctx.get('Origin'),
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  // No origin is allowed unless configured; an unlisted one (or none) simply gets no CORS headers,
  // only the `Vary: Origin` cors would add, so that a cache never hands a listed origin this answer.
  // Most requests name no listed origin, and skip cors's awaits.
  app.use((ctx, next) => {
    if (allowedOrigins.has(ctx.get('Origin'))) return corsForListedOrigin(ctx, next);
    ctx.vary('Origin');
    return next();
  });
  app.use(async (ctx, next) => {
    await next();
    // Nothing answered: no route has this path (a known path with another method got a 405).
    if (ctx.body === undefined && ctx.status === 404) throw new HttpProblem(404, 'Not found', 'route_not_found');
    // A known path with a method it does not serve: the router set 405 (501 for a method it does
    // not know at all) and `Allow`. Answered in the error shape here rather than by the router's
    // throw mode, which throws before setting `Allow`, and a 405 must carry it (RFC 9110 §15.5.6).
    if (ctx.body === undefined && (ctx.status === 405 || ctx.status === 501)) {
      throw new HttpProblem(405, 'Method not allowed', 'method_not_allowed');
    }
    // The router answers a plain OPTIONS (not a CORS preflight) with 200, an empty text/plain body
    // and `Allow`. Every API answer with a body is JSON, so say the same with no body at all.
    if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.body === '') ctx.status = 204;
  });
  app.use(jsonBody(options.bodyLimitBytes));
  // Beside the API's router rather than in it: pages, not operations of the API or its document.
  if (options.webClient) app.use(serveWebClient(options.webClient));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
};
