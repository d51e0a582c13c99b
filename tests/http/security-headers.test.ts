/**
 * The headers that keep a browser from treating an API answer as a page (API.md, QUALITY.md):
 * nosniff and a CSP that allows nothing on every API answer, errors included; no-store under
 * /auth; no X-Powered-By; CORS only for configured origins; a request id on every answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type ApiResponse, createApi, registerAndLogin, type RegisteredUser } from '../support/api-client.js';
import { UUID } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const ALLOWED_ORIGIN = 'https://app.example';
const OTHER_ALLOWED_ORIGIN = 'https://admin.example';
const UNLISTED_ORIGIN = 'https://evil.example';

const corsHeadersOf = (response: ApiResponse): Record<string, string> =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

describeOverDatabases('security headers', (database) => {
  let server: TestServer;
  let api: Api;
  let user: RegisteredUser;
  let sessionId: number;

  beforeAll(async () => {
    server = await startTestServer({ database, env: { CORS_ORIGINS: `${ALLOWED_ORIGIN}, ${OTHER_ALLOWED_ORIGIN}`, BODY_LIMIT: '1kb' } });
    api = createApi(server.baseUrl);
    user = await registerAndLogin(api);
    sessionId = (await api.post('/chat/sessions', { title: 'Headers' }, user.accessToken)).body.session.id;
  });
  afterAll(() => server?.close());

  /** A spread of API answers: successes and errors of each kind, under /auth, /chat and elsewhere. */
  const apiAnswers = async (): Promise<Array<[string, ApiResponse]>> => [
    ['GET /health', await api.get('/health')],
    ['GET /openapi.json', await api.get('/openapi.json')],
    ['GET /auth/profile', await api.get('/auth/profile', user.accessToken)],
    ['POST /auth/login 401', await api.post('/auth/login', { username: user.username, password: 'WrongPass123' })],
    ['GET /chat/sessions', await api.get('/chat/sessions', user.accessToken)],
    ['POST /chat/sessions/:id/messages 201', await api.post(`/chat/sessions/${sessionId}/messages`, { text: '<script>alert(1)</script>' }, user.accessToken)],
    ['GET /chat/sessions/:id 404', await api.get('/chat/sessions/987654', user.accessToken)],
    ['GET /chat/sessions 401', await api.get('/chat/sessions')],
    ['POST /chat/sessions 400', await api.post('/chat/sessions', { title: '' }, user.accessToken)],
    ['POST /chat/sessions 413', await api.post('/chat/sessions', { title: 'x'.repeat(2000) }, user.accessToken)],
    ['POST /chat/sessions 415', await api.request('POST', '/chat/sessions', { rawBody: 'x', headers: { 'Content-Type': 'text/html' }, token: user.accessToken })],
    ['GET /nope 404', await api.get('/nope')],
    ['PATCH /health 405', await api.request('PATCH', '/health')],
  ];

  describe('on every API answer, success or error', () => {
    it('says nosniff and a CSP that allows nothing and forbids framing', async () => {
      for (const [name, response] of await apiAnswers()) {
        expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
        expect(response.headers.get('content-security-policy'), name).toBe(API_CSP);
        expect(response.headers.get('x-frame-options'), name).toBe('DENY');
      }
    });

    it('serves JSON, never HTML (so stored markup is never rendered)', async () => {
      for (const [name, response] of await apiAnswers()) {
        expect(response.headers.get('content-type'), name).toBe('application/json; charset=utf-8');
      }
    });

    it('sends no Strict-Transport-Security over plain HTTP, where it means nothing', async () => {
      for (const [name, response] of await apiAnswers()) {
        expect(response.headers.has('strict-transport-security'), name).toBe(false);
      }
    });

    it('carries the rest of helmet\'s set: no referrer, same-site resources, an isolated opener', async () => {
      for (const [name, response] of await apiAnswers()) {
        expect(response.headers.get('referrer-policy'), name).toBe('no-referrer');
        expect(response.headers.get('cross-origin-resource-policy'), name).toBe('same-site');
        expect(response.headers.get('cross-origin-opener-policy'), name).toBe('same-origin');
        expect(response.headers.get('x-permitted-cross-domain-policies'), name).toBe('none');
      }
    });

    it('never says X-Powered-By', async () => {
      for (const [name, response] of await apiAnswers()) {
        expect(response.headers.has('x-powered-by'), name).toBe(false);
      }
    });
  });

  describe('the docs page', () => {
    it('gets its own policy in place of the API\'s, with helmet\'s defaults around it', async () => {
      const response = await api.request('GET', '/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).not.toBe(API_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });
  });

  describe('Cache-Control: no-store under /auth', () => {
    it('is on every /auth answer, tokens and errors alike', async () => {
      const fresh = await registerAndLogin(api);
      const answers: Array<[string, ApiResponse]> = [
        ['register 201', await api.post('/auth/register', { username: `${fresh.username}_2`, email: `2_${fresh.email}`, password: fresh.password })],
        ['login 200', await api.post('/auth/login', { username: fresh.username, password: fresh.password })],
        ['login 401', await api.post('/auth/login', { username: fresh.username, password: 'WrongPass123' })],
        ['login 400', await api.post('/auth/login', {})],
        ['refresh 200', await api.request('POST', '/auth/refresh', { token: fresh.refreshToken })],
        ['refresh 401', await api.request('POST', '/auth/refresh', { token: 'nope' })],
        ['profile 200', await api.get('/auth/profile', fresh.accessToken)],
        ['profile 401', await api.get('/auth/profile')],
        ['profile 405', await api.request('PATCH', '/auth/profile', { token: fresh.accessToken })],
        ['logout 200', await api.post('/auth/logout', undefined, fresh.accessToken)],
        ['unknown /auth route 404', await api.get('/auth/nope')],
      ];
      for (const [name, response] of answers) {
        expect(response.headers.get('cache-control'), name).toBe('no-store');
      }
    });
  });

  describe('CORS', () => {
    it('when the origin is not listed, adds no CORS header at all', async () => {
      const simple = await api.request('GET', '/health', { headers: { Origin: UNLISTED_ORIGIN } });
      const preflight = await api.request('OPTIONS', '/chat/sessions', {
        headers: { Origin: UNLISTED_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
      });

      expect(simple.status).toBe(200);
      expect(corsHeadersOf(simple)).toEqual({});
      expect(corsHeadersOf(preflight)).toEqual({});
      // What it gets instead is the plain OPTIONS answer: the methods, and no body.
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('allow')).toBe('POST, HEAD, GET');
      expect(preflight.text).toBe('');
    });

    it('when no Origin is sent, adds no CORS header', async () => {
      expect(corsHeadersOf(await api.get('/chat/sessions', user.accessToken))).toEqual({});
    });

    it('when no origin or an unlisted one is sent, still says the answer varies with Origin, so a cache keeps it from a listed origin', async () => {
      const none = await api.get('/chat/sessions', user.accessToken);
      const unlisted = await api.request('GET', '/health', { headers: { Origin: UNLISTED_ORIGIN } });

      expect(none.headers.get('vary')).toContain('Origin');
      expect(unlisted.headers.get('vary')).toContain('Origin');
    });

    it('when the origin is listed, allows exactly that origin (never *) and exposes the request id and Retry-After', async () => {
      const response = await api.request('GET', '/chat/sessions', { token: user.accessToken, headers: { Origin: ALLOWED_ORIGIN } });
      const other = await api.request('GET', '/health', { headers: { Origin: OTHER_ALLOWED_ORIGIN } });

      expect(response.status).toBe(200);
      expect(corsHeadersOf(response)).toEqual({
        'access-control-allow-origin': ALLOWED_ORIGIN,
        'access-control-expose-headers': 'X-Request-Id,Retry-After',
      });
      expect(response.headers.get('vary')).toContain('Origin');
      expect(other.headers.get('access-control-allow-origin')).toBe(OTHER_ALLOWED_ORIGIN);
    });

    it('when the origin is listed, carries the CORS headers on errors too, so the page can read them', async () => {
      const response = await api.request('GET', '/chat/sessions', { headers: { Origin: ALLOWED_ORIGIN } });

      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });

    it('when a listed origin sends a preflight, answers 204 with the methods and headers it may use', async () => {
      const preflight = await api.request('OPTIONS', '/chat/sessions', {
        headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
      });

      expect(preflight.status).toBe(204);
      expect(preflight.text).toBe('');
      expect(corsHeadersOf(preflight)).toEqual({
        'access-control-allow-origin': ALLOWED_ORIGIN,
        'access-control-allow-methods': 'GET,POST,PUT,DELETE',
        'access-control-allow-headers': 'Authorization,Content-Type,X-Request-Id',
        'access-control-max-age': '600',
      });
    });

    it('never allows credentials', async () => {
      const response = await api.request('GET', '/health', { headers: { Origin: ALLOWED_ORIGIN } });

      expect(response.headers.has('access-control-allow-credentials')).toBe(false);
    });
  });

  describe('X-Request-Id', () => {
    it('when the client sends one, echoes it on success and on error', async () => {
      const ok = await api.request('GET', '/health', { headers: { 'X-Request-Id': 'client-abc.123:4' } });
      const error = await api.request('GET', '/nope', { headers: { 'X-Request-Id': 'client-err-1' } });

      expect(ok.headers.get('x-request-id')).toBe('client-abc.123:4');
      expect(error.headers.get('x-request-id')).toBe('client-err-1');
    });

    it('when the client sends none, generates a new one for each request', async () => {
      const first = await api.get('/health');
      const second = await api.get('/chat/sessions');

      expect(first.headers.get('x-request-id')).toMatch(UUID);
      expect(second.headers.get('x-request-id')).toMatch(UUID);
      expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    });

    it('when the offered id is not short and plain, replaces it (it could forge log lines)', async () => {
      for (const offered of ['has spaces in it', 'x'.repeat(129), '{"level":60}']) {
        const response = await api.request('GET', '/health', { headers: { 'X-Request-Id': offered } });
        expect(response.headers.get('x-request-id'), offered).toMatch(UUID);
      }
    });
  });
});

describeOverDatabases('security headers behind a TLS-terminating proxy', (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database, env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => server?.close());

  it('sends Strict-Transport-Security when the trusted proxy says the request came over HTTPS, and not otherwise', async () => {
    const api = createApi(server.baseUrl);
    const overHttps = await api.request('GET', '/health', { headers: { 'X-Forwarded-Proto': 'https' } });
    const overHttp = await api.request('GET', '/health', { headers: { 'X-Forwarded-Proto': 'http' } });
    expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(overHttp.headers.has('strict-transport-security')).toBe(false);
  });
});
