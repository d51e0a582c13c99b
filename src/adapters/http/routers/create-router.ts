import Router from '@koa/router';
import type { HttpState } from '../http-state.js';

/**
 * Every router of the API, built one way, so that routes and the middleware mounted on them match
 * a path alike: exactly as written, case and trailing slash included. A spelling that a route and
 * its guard could read differently (`/CHAT/sessions` reaching a handler past the authentication
 * mounted on `/chat`) is then no route at all: 404.
 */
export const createRouter = (prefix?: string): Router<HttpState> =>
  new Router<HttpState>({ sensitive: true, strict: true, ...(prefix === undefined ? {} : { prefix }) });
