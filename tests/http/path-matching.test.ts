/**
 * One route, one rule (QUALITY.md "Security"): a path is matched one way by the routes and by the
 * middleware in front of them, so a spelling the router accepts gets exactly what the lower-case
 * path gets (its authentication, its `Cache-Control: no-store`) or is no route at all (404).
 * Every operation of the served document is sent in other spellings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { documentedRoutes } from '../../src/adapters/http/openapi/documented-routes.js';
import { createApi, registerAndLogin, type RegisteredUser } from '../support/api-client.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

/** The headers an answer's meaning rides on; request ids and dates differ by design. */
const HEADERS = ['content-type', 'cache-control', 'www-authenticate', 'allow', 'content-security-policy', 'upgrade'] as const;

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | null>>;
  readonly code: string | null;
}

const spellings = (path: string): string[] => [
  path.toUpperCase(),
  path.replace(/\/([a-z])/g, (_, letter: string) => `/${letter.toUpperCase()}`),
  `${path}/`,
  path.replace(/^\/(\w)/, (_, letter: string) => `//${letter}`),
];

describe('paths are matched one way by routes and middleware', () => {
  let server: TestServer;
  let user: RegisteredUser;

  beforeAll(async () => {
    server = await startTestServer({ database: 'memory' });
    user = await registerAndLogin(createApi(server.baseUrl));
  });
  afterAll(() => server?.close());

  const send = async (method: string, path: string, token: string | null): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
        ...(method === 'GET' ? {} : { 'Content-Type': 'application/json' }),
      },
      // An empty object: refused by most operations that read a body, harmless to the rest.
      body: method === 'GET' ? undefined : '{}',
    });
    const type = response.headers.get('content-type') ?? '';
    // An event stream never ends: its status and headers are the answer.
    const body = type.startsWith('application/json') ? ((await response.json()) as { code?: string }) : (await response.body?.cancel(), {});
    return {
      status: response.status,
      headers: Object.fromEntries(HEADERS.map((name) => [name, response.headers.get(name)])),
      code: body.code ?? null,
    };
  };

  it('answers every other spelling of every documented route as its lower-case form, or 404', async () => {
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as { paths: object };
    const routes = documentedRoutes(document);
    let compared = 0;

    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const { method, path: pattern } of routes) {
      // Ids that name nothing: a spelling that reached a handler answers 404 `*_not_found`, never `route_not_found`.
      const path = pattern.replace(/:\w+/g, '987654');
      // Logging out ends the login its token belongs to: each of those requests gets a login of its own.
      const endsLogin = path.startsWith('/auth/logout');
      const tokenFor = async (signedIn: boolean): Promise<string | null> =>
        !signedIn ? null : endsLogin ? (await registerAndLogin(createApi(server.baseUrl))).accessToken : user.accessToken;
      for (const signedIn of [false, true]) {
        const expected = await send(method, path, await tokenFor(signedIn));
        for (const spelled of spellings(path)) {
          const token = await tokenFor(signedIn);
          const answer = await send(method, spelled, token);
          const what = `${method} ${spelled} ${token === null ? 'without' : 'with'} a token`;
          if (answer.code === 'route_not_found') expect(answer.status, what).toBe(404);
          else expect(answer, what).toEqual(expected);
          compared += 1;
        }
      }
    }
    expect(compared).toBe(routes.length * 2 * 4);
  });

  it('refuses a mixed-case spelling of an authenticated route as no route, not as a route without its guard', async () => {
    const answer = await send('GET', '/CHAT/sessions', null);

    expect(answer).toMatchObject({ status: 404, code: 'route_not_found' });
  });

  it('upgrades to a WebSocket on /ws exactly, and answers every other spelling 404', async () => {
    const upgrade = (path: string): Promise<number> =>
      new Promise((answered, failed) => {
        const socket = new WebSocket(`${server.wsUrl.replace(/\/ws$/, '')}${path}`);
        socket.once('open', () => {
          socket.close();
          answered(101);
        });
        socket.once('unexpected-response', (_request, response) => {
          response.resume();
          answered(response.statusCode ?? 0);
        });
        socket.once('error', failed);
      });

    expect(await upgrade('/ws')).toBe(101);
    for (const path of spellings('/ws')) expect(await upgrade(path), path).toBe(404);
  });

  it('answers a mixed-case registration as no route, so no tokens leave without no-store', async () => {
    const answer = await send('POST', '/Auth/Register', null);

    expect(answer).toMatchObject({ status: 404, code: 'route_not_found' });
  });
});
