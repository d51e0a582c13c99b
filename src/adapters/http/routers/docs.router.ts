import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Router from '@koa/router';
import { createRouter } from './create-router.js';
import type { Context } from 'koa';

// Swagger UI styles its widgets inline, and its CSS draws icons as data: URIs; nothing else is
// needed, and nothing leaves the origin, so the page works offline and cannot be framed.
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Chat backend API</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
    <link rel="stylesheet" href="/docs/assets/index.css">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/docs-init.js"></script>
  </body>
</html>
`;

// A script file rather than an inline one, so the CSP needs no 'unsafe-inline' for scripts.
// validatorUrl null: the default sends the document to validator.swagger.io.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', validatorUrl: null });\n`;

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const PNG = 'image/png';

/** The only files served from swagger-ui-dist: a name is looked up here, never joined blindly to a path. */
const PACKAGE_ASSETS: ReadonlyMap<string, string> = new Map([
  ['swagger-ui-bundle.js', JAVASCRIPT],
  ['swagger-ui.css', CSS],
  ['index.css', CSS],
  ['favicon-16x16.png', PNG],
  ['favicon-32x32.png', PNG],
]);

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

const swaggerUiFolder = (): string => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const setDocsHeaders = (ctx: Context): void => {
  // Set here, not by the app's helmet (which leaves /docs alone), so the page is never served
  // without its own policy, whatever the app in front of it does.
  ctx.set('Content-Security-Policy', DOCS_CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
};

/**
 * `/openapi.json`, and `/docs` rendering it with Swagger UI from the swagger-ui-dist package: no
 * CDN, so the docs work offline and the page's policy can forbid every other origin.
 */
export const createDocsRouter = (document: object): Router => {
  const documentJson = JSON.stringify(document);
  const cache = new Map<string, Promise<Asset>>([
    ['docs-init.js', Promise.resolve({ body: Buffer.from(INIT_SCRIPT), type: JAVASCRIPT })],
  ]);
  let folder: string | undefined;

  const load = (file: string): Promise<Asset> | undefined => {
    const cached = cache.get(file);
    if (cached) return cached;
    const type = PACKAGE_ASSETS.get(file);
    if (type === undefined) return undefined;
    folder ??= swaggerUiFolder();
    const loading = readFile(join(folder, file)).then((body) => ({ body, type }));
    cache.set(file, loading);
    // A failed read is not remembered, so the next request tries again.
    loading.catch(() => cache.delete(file));
    return loading;
  };

  const router = createRouter();

  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = documentJson;
  });

  router.get('/docs', (ctx) => {
    setDocsHeaders(ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });

  router.get('/docs/assets/:file', async (ctx, next) => {
    setDocsHeaders(ctx);
    const loading = load(ctx.params.file ?? '');
    // Not ours to answer: the app's unknown-route handling gives the 404 in its usual shape.
    if (loading === undefined) return next();
    const asset = await loading;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = asset.type;
    ctx.body = asset.body;
  });

  return router;
};
