import type { RouterContext } from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import type { HttpState } from '../http-state.js';

/** One answered request, as the metrics count it. */
export interface ObservedRequest {
  readonly method: string;
  /** The route pattern the router matched (`/chat/sessions/:id`), or `unmatched`. */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}

/** Whatever counts the requests (the Prometheus metrics). */
export interface RequestObserver {
  observeRequest(request: ObservedRequest): void;
}

/** The label of a request that no route took (an unknown path, a known one with another method). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The pattern of the route that took the request: the last layer the router matched by path that
 * serves its method. Not `_matchedRoute`, which names whatever layer ran last (a router's
 * authentication middleware, as a regular expression, when it refused the request).
 */
const routeOf = (ctx: ParameterizedContext<HttpState>): string => {
  const matched = (ctx as RouterContext<HttpState>).matched ?? [];
  const route = matched.findLast((layer) => layer.methods.includes(ctx.method));
  return typeof route?.path === 'string' ? route.path : UNMATCHED_ROUTE;
};

/**
 * Tells `observer` of every answer: method, status, time to answer and the route by its pattern,
 * never the raw path (ids in it would make a label per message, without bound). Sits outside the
 * error handler, so the status is the one the client gets; an event stream counts as answered once
 * its headers go out.
 */
export const requestMetrics = (observer: RequestObserver): Middleware<HttpState> => async (ctx, next) => {
  const started = process.hrtime.bigint();
  try {
    await next();
  } finally {
    observer.observeRequest({ method: ctx.method, route: routeOf(ctx), status: ctx.status, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  }
};
