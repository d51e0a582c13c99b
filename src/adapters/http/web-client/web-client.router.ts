import type Router from '@koa/router';
import type { Context } from 'koa';
import type { HttpState } from '../http-state.js';
import { createRouter } from '../routers/create-router.js';
import type { WebClientFiles } from './web-client-files.js';

/**
 * The client's own policy: its scripts, styles and icon from this origin only, no inline code of
 * any kind, API calls and the WebSocket to this origin only (CSP Level 3 lets 'self' match ws: and
 * wss: of the page's own host), no framing, no `<base>`, and no form that could post elsewhere.
 */
export const WEB_CLIENT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Where the client's files are served: not an API path, so the API and its document never meet them. */
export const WEB_CLIENT_ASSETS_PREFIX = '/web/';

const serve = (ctx: Context, file: { body: Buffer; type: string }): void => {
  // Set here rather than by the app's middleware, so these answers never go out without their
  // policy; everything else the app sets (nosniff, DENY framing) stays.
  ctx.set('Content-Security-Policy', WEB_CLIENT_CSP);
  // The names carry no content hash: a browser asks again each time, so a new build is seen at once.
  ctx.set('Cache-Control', 'no-cache');
  ctx.type = file.type;
  ctx.body = file.body;
};

/**
 * The reference web client: its page at `/` and its files under `/web/`. Mounted beside the API's
 * router, not inside it: these are pages, not API operations, and the OpenAPI document leaves them out.
 */
const createWebClientRouter = (files: WebClientFiles): Router<HttpState> => {
  const router = createRouter();
  router.get('/', (ctx) => {
    const page = files.get('index.html');
    if (page === undefined) throw new Error('the web client has no index.html (web/static/ is missing from the package)');
    serve(ctx, page);
  });
  router.get(`${WEB_CLIENT_ASSETS_PREFIX}*path`, (ctx, next) => {
    const file = ctx.params['path'] === 'index.html' ? undefined : files.get(ctx.params['path'] ?? '');
    // Not one of ours: the app's unknown-route answer, in the API's shape and with its CSP.
    if (file === undefined) return next();
    serve(ctx, file);
  });
  return router;
};

/**
 * The web client's router, reached only by its own paths: every API request would otherwise pay a
 * router's dispatch (its host check, a match over its routes) to learn that it is not a page.
 */
export const serveWebClient = (files: WebClientFiles): ReturnType<Router<HttpState>['routes']> => {
  const pages = createWebClientRouter(files).routes();
  return (ctx, next) => (ctx.path === '/' || ctx.path.startsWith(WEB_CLIENT_ASSETS_PREFIX) ? pages(ctx, next) : next());
};
