/**
 * The OpenAPI document and the app agree: every route the app's router has is in the document
 * served at /openapi.json, and every documented operation is a route the running app answers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DocumentedRoute, documentedRoutes } from '../../src/adapters/http/openapi/documented-routes.js';
import { type Api, createApi, registerAndLogin } from '../support/api-client.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { apiRouterOf, startTestServer, type TestServer } from '../support/http-test-server.js';

const key = (route: DocumentedRoute): string => `${route.method} ${route.path}`;

/**
 * The routes of the app's root router, as `METHOD /path`. Middleware layers (no methods) are not
 * routes; HEAD comes with every GET; `GET /docs/assets/:file` serves the docs page's own files.
 */
const routerRoutes = (server: TestServer): string[] => {
  const router = apiRouterOf(server.container);
  return router.stack
    .flatMap((layer) => layer.methods.map((method) => ({ method, path: String(layer.path) })))
    .filter(({ method, path }) => method !== 'HEAD' && !(method === 'GET' && path === '/docs/assets/:file'))
    .map(key)
    .sort();
};

describeOverDatabases('the OpenAPI document and the routes', (database) => {
  let server: TestServer;
  let api: Api;
  let documented: string[];

  beforeAll(async () => {
    server = await startTestServer({ database });
    api = createApi(server.baseUrl);
    const response = await api.get('/openapi.json');
    expect(response.status).toBe(200);
    documented = documentedRoutes(response.body).map(key).sort();
  });
  afterAll(() => server?.close());

  it('documents every route the router has', () => {
    const routes = routerRoutes(server);

    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('has a route for every documented operation', () => {
    const routes = routerRoutes(server);

    expect(documented.filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('lists the same routes both ways, each once', () => {
    expect(routerRoutes(server)).toEqual(documented);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('answers every documented operation over the socket (no unknown-route 404, no 405)', async () => {
    const user = await registerAndLogin(api);
    for (const route of documented) {
      const [method, path] = route.split(' ') as [string, string];
      // Read by hand: an event stream never ends, so only its status and first bytes are read.
      const response = await fetch(`${server.baseUrl}${path.replace(/:\w+/g, '987654')}`, {
        method,
        headers: { Authorization: `Bearer ${user.accessToken}`, ...(method === 'GET' ? {} : { 'Content-Type': 'application/json' }) },
        body: method === 'GET' ? undefined : '{}',
      });
      expect(response.status, route).not.toBe(405);
      if (!response.headers.get('content-type')?.startsWith('application/json')) {
        await response.body?.cancel();
        continue;
      }
      const body = (await response.json()) as { code?: string };
      if (response.status === 404) expect(body.code, route).not.toBe('route_not_found');
    }
  });
});
