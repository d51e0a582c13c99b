/**
 * The check every HTTP test's answers go through (openapi-response-check.ts) can fail: it is fed
 * answers the document does not describe, and each must be refused with a message that says what
 * differed. Also: the answers the document does describe pass, and `createApi` applies the check
 * to every request but one that says it is outside the contract.
 */
import { MESSAGE_MAX_CHARS_DEFAULT } from '../../src/configuration/app-config.schema.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/adapters/http/openapi/openapi-document.js';
import { createApi } from './api-client.js';
import { type CheckedRequest, type CheckedResponse, createOpenApiResponseCheck, OpenApiMismatch } from './openapi-response-check.js';

// As a client reads it from /openapi.json.
const document = JSON.parse(JSON.stringify(buildOpenApiDocument({ version: 'self-test', messageMaxChars: MESSAGE_MAX_CHARS_DEFAULT }))) as Record<string, unknown>;
const contract = createOpenApiResponseCheck(document);

const JSON_TYPE = 'application/json; charset=utf-8';
const NOW = '2026-01-31T12:00:00.000Z';
const USER = {
  id: '6f1c2b9e-8a51-4c1e-9d1a-2f4b7c3e5a10',
  username: 'john_doe',
  email: 'john@example.com',
  is_active: true,
  is_verified: false,
  created_at: NOW,
  updated_at: NOW,
};
const MESSAGE = {
  id: 345,
  session_id: 12,
  parent_id: null,
  client_id: null,
  text: 'Hello!',
  sender: 'user',
  status: 'complete',
  metadata: null,
  edited_at: null,
  created_at: NOW,
  updated_at: NOW,
};
const PAGINATION = { page: 1, per_page: 50, total: 1, pages: 1, has_next: false, has_prev: false };

const request = (method: string, path: string): CheckedRequest => ({ method, path });
const json = (status: number, body: unknown, headers: Record<string, string> = {}): CheckedResponse => ({
  status,
  contentType: JSON_TYPE,
  body,
  headers: { 'content-type': JSON_TYPE, ...headers },
});

/** The mismatch the check throws, as its message; fails the test if it throws nothing. */
const refusal = (checked: CheckedRequest, response: CheckedResponse): string => {
  try {
    contract.check(checked, response);
  } catch (error) {
    expect(error).toBeInstanceOf(OpenApiMismatch);
    return (error as Error).message;
  }
  throw new Error(`the check accepted ${checked.method} ${checked.path} → ${response.status}`);
};

describe('the OpenAPI response check', () => {
  describe('accepts what the document describes', () => {
    it.each<[string, CheckedRequest, CheckedResponse]>([
      ['a success', request('GET', '/health'), json(200, { status: 'ok' })],
      ['a documented error', request('POST', '/auth/login'), json(401, { error: 'Invalid username or password', code: 'invalid_credentials' })],
      ['validation details', request('POST', '/auth/register'), json(400, { error: 'Validation failed', code: 'validation_failed', details: ['username: is required'] })],
      ['the account with its token pair', request('POST', '/auth/login'), json(200, { user: USER, access_token: 'a.b.c', refresh_token: 'd.e.f', token_type: 'Bearer', expires_in: 900 })],
      ['a templated path', request('GET', '/chat/sessions/12/messages?page=1'), json(200, { messages: [MESSAGE], pagination: PAGINATION })],
      ['the other branch of a oneOf', request('GET', '/chat/sessions/12/messages?before_id='), json(200, { messages: [], has_more: false })],
      ['a path parameter that is not a number', request('GET', '/chat/sessions/abc'), json(404, { error: 'Session not found', code: 'session_not_found' })],
      ['a dot segment, as sent', request('PUT', '/chat/sessions/6/messages/..'), json(404, { error: 'Message not found', code: 'message_not_found' })],
      ['an unknown path', request('DELETE', '/nope/1'), json(404, { error: 'Not found', code: 'route_not_found' })],
      ['a body refused before the path is looked at', request('POST', '/nope'), json(415, { error: 'Request body must be JSON', code: 'unsupported_media_type' })],
      ['a known path with another method', request('PATCH', '/health'), json(405, { error: 'Method not allowed', code: 'method_not_allowed' }, { allow: 'HEAD, GET' })],
      ['HEAD, as the GET without content', request('HEAD', '/health'), { status: 200, contentType: JSON_TYPE, body: '' }],
      ['OPTIONS', request('OPTIONS', '/chat/sessions'), { status: 204, contentType: null, body: '', headers: { allow: 'POST, HEAD, GET' } }],
      ['429 with Retry-After', request('POST', '/auth/login'), json(429, { error: 'Too many attempts, try again later', code: 'rate_limited' }, { 'retry-after': '30' })],
      ['a page of HTML', request('GET', '/docs'), { status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html>' }],
    ])('%s', (_name, checked, response) => {
      expect(() => contract.check(checked, response)).not.toThrow();
    });
  });

  describe('refuses what the document does not describe', () => {
    it('an undocumented status, naming the method, the path and the status', () => {
      const message = refusal(request('GET', '/health'), json(201, { status: 'ok' }));

      expect(message).toContain('GET /health answered 201');
      expect(message).toContain('status 201 is not documented; the documented ones are 200, 500');
    });

    it('a body missing a required key, naming the key and where it is missing', () => {
      const { email: _email, ...withoutEmail } = USER;
      const message = refusal(request('GET', '/auth/profile'), json(200, { user: withoutEmail }));

      expect(message).toContain('GET /auth/profile answered 200');
      expect(message).toContain("/user: must have required property 'email'");
      expect(message).toContain('#/components/schemas/UserResult');
    });

    it('a wrong content type', () => {
      const message = refusal(request('GET', '/health'), { status: 200, contentType: 'text/html; charset=utf-8', body: '<p>ok</p>' });

      expect(message).toContain("the content type is not one of #/paths/~1health/get/responses/200's: application/json");
      expect(message).toContain('content type: text/html; charset=utf-8');
    });

    it('a JSON body with no content type at all', () => {
      expect(refusal(request('GET', '/health'), { status: 200, contentType: null, body: '{"status":"ok"}' })).toContain('no content type came');
    });

    it('JSON in a charset other than UTF-8', () => {
      expect(refusal(request('GET', '/health'), { status: 200, contentType: 'application/json; charset=latin1', body: { status: 'ok' } })).toContain(
        'charset=latin1',
      );
    });

    it('a body that is not JSON under a JSON content type', () => {
      expect(refusal(request('GET', '/health'), { status: 200, contentType: JSON_TYPE, body: 'ok' })).toContain('the body is not JSON');
    });

    it('a value of the wrong type, naming the instance path', () => {
      const message = refusal(request('POST', '/chat/sessions/12/messages'), json(201, { message: { ...MESSAGE, id: '345' } }));

      expect(message).toContain('/message/id: must be integer');
    });

    it('a key the document does not name (a leaked hash, say)', () => {
      const message = refusal(request('GET', '/auth/profile'), json(200, { user: { ...USER, password_hash: '$2b$04$…' } }));

      expect(message).toContain('/user: must NOT have additional properties (an undocumented key: "password_hash")');
    });

    it('an undocumented key next to the token pair', () => {
      const login = { user: USER, access_token: 'a.b.c', refresh_token: 'd.e.f', token_type: 'Bearer', expires_in: 900, session_secret: 'x' };

      expect(refusal(request('POST', '/auth/login'), json(200, login))).toContain('an undocumented key: "session_secret"');
    });

    it('an error without its code', () => {
      expect(refusal(request('POST', '/auth/login'), json(401, { error: 'Invalid username or password' }))).toContain("must have required property 'code'");
    });

    it('a timestamp without milliseconds or not in UTC', () => {
      expect(refusal(request('GET', '/auth/profile'), json(200, { user: { ...USER, created_at: '2026-01-31T12:00:00Z' } }))).toContain('/user/created_at');
      expect(refusal(request('GET', '/auth/profile'), json(200, { user: { ...USER, updated_at: '2026-01-31T13:00:00.000+01:00' } }))).toContain(
        '/user/updated_at',
      );
    });

    it('a value outside an enum', () => {
      expect(refusal(request('POST', '/chat/sessions/12/messages'), json(201, { message: { ...MESSAGE, sender: 'robot' } }))).toContain(
        '/message/sender: must be equal to one of the allowed values',
      );
    });

    it('a body that fits neither branch of a oneOf, or both', () => {
      const both = { messages: [], pagination: PAGINATION, has_more: false };

      expect(refusal(request('GET', '/chat/sessions/12/messages'), json(200, both))).toContain('must match exactly one schema in oneOf');
    });

    it('an unknown path answered with anything but route_not_found', () => {
      expect(refusal(request('GET', '/nope'), json(200, { status: 'ok' }))).toContain('no path of the document matches');
      expect(refusal(request('GET', '/chat/sessions/1/extra'), json(404, { error: 'Session not found', code: 'session_not_found' }))).toContain(
        '/code: must be equal to constant ("route_not_found")',
      );
    });

    it('a path with a trailing slash, which the document does not have', () => {
      expect(refusal(request('GET', '/health/'), json(200, { status: 'ok' }))).toContain('x-unmatched-requests.unknown-path');
    });

    it('a 405 without Allow', () => {
      expect(refusal(request('PATCH', '/health'), json(405, { error: 'Method not allowed', code: 'method_not_allowed' }))).toContain(
        'the header Allow is required by #/components/headers/Allow but was not sent',
      );
    });

    it('a 405 for a method the path has, which must be answered by its operation', () => {
      expect(refusal(request('GET', '/health'), json(405, { error: 'Method not allowed', code: 'method_not_allowed' }, { allow: 'GET' }))).toContain(
        'status 405 is not documented',
      );
    });

    it('a 429 without Retry-After, or with one that is not whole seconds', () => {
      const limited = { error: 'Too many attempts, try again later', code: 'rate_limited' };

      expect(refusal(request('POST', '/auth/login'), json(429, limited))).toContain('Retry-After is required');
      expect(refusal(request('POST', '/auth/login'), json(429, limited, { 'retry-after': 'soon' }))).toContain('the header Retry-After: "soon"');
      expect(refusal(request('POST', '/auth/login'), json(429, limited, { 'retry-after': '0' }))).toContain('must be >= 1');
    });

    it('content where the document describes none', () => {
      expect(refusal(request('OPTIONS', '/chat/sessions'), { status: 204, contentType: 'text/plain', body: 'GET, POST' })).toContain(
        'documents no content, but a body came',
      );
    });

    it('a body in answer to HEAD', () => {
      expect(refusal(request('HEAD', '/health'), json(200, { status: 'ok' }))).toContain('an answer to HEAD carries a body');
    });

    it('an empty body where JSON is described', () => {
      expect(refusal(request('GET', '/health'), { status: 200, contentType: JSON_TYPE, body: '' })).toContain('the body is empty');
    });
  });

  it('compiles every response schema of the document', () => {
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    let checked = 0;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const status of Object.keys(operation.responses)) {
          const concrete = path.replace(/\{[^}]+\}/g, '1');
          try {
            contract.check(request(method, concrete), json(Number(status), {}));
          } catch (error) {
            expect((error as Error).message, `${method} ${path} ${status}`).not.toContain('does not compile');
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('holds a schema the document leaves open closed, composition included, so an undocumented key still fails', () => {
    const composed = {
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { type: 'object', properties: { b: { type: 'string' } } },
      ],
    };
    const open = createOpenApiResponseCheck({
      openapi: '3.1.0',
      info: { title: 'open', version: '1' },
      paths: { '/x': { get: { responses: { '200': { description: 'x', content: { 'application/json': { schema: composed } } } } } } },
    });
    const answer = (body: unknown) => () => open.check(request('GET', '/x'), json(200, body));

    expect(answer({ a: 'one', b: 'two' })).not.toThrow();
    expect(answer({ a: 'one', b: 'two', c: 'three' })).toThrow('an undocumented key: "c"');
  });

  it('refuses to work from something that is not an OpenAPI 3.1 document', () => {
    expect(() => createOpenApiResponseCheck({ openapi: '3.0.3', paths: {} })).toThrow('OpenAPI 3.1');
    expect(() => createOpenApiResponseCheck('{}')).toThrow('OpenAPI 3.1');
  });
});

describe('createApi holds every answer to the served document', () => {
  // A server that serves the real document but answers /health as the document does not say.
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const documentJson = JSON.stringify(buildOpenApiDocument({ version: 'self-test', messageMaxChars: MESSAGE_MAX_CHARS_DEFAULT }));
    server = createServer((req, res) => {
      const answer = (status: number, body: string, type = JSON_TYPE): void => {
        res.writeHead(status, { 'Content-Type': type });
        res.end(body);
      };
      if (req.url === '/openapi.json') answer(200, documentJson);
      else if (req.url === '/health') answer(418, '{"status":"teapot"}');
      else if (req.url === '/ready') answer(200, '{"status":"ready","database":"up"}');
      else answer(404, '{"error":"Not found","code":"route_not_found"}');
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  it('passes an answer the document describes', async () => {
    expect((await createApi(baseUrl).get('/ready')).status).toBe(200);
  });

  it('rejects with the mismatch when the answer is not described', async () => {
    await expect(createApi(baseUrl).get('/health')).rejects.toThrow(/GET \/health answered 418[\s\S]*status 418 is not documented/);
  });

  it('lets through a request that says it is outside the contract, and only that one', async () => {
    const api = createApi(baseUrl);

    expect((await api.request('GET', '/health', { outsideContract: 'self-test of the opt-out' })).status).toBe(418);
    await expect(api.request('GET', '/health')).rejects.toBeInstanceOf(OpenApiMismatch);
  });

  it('fails clearly when the server serves no document', async () => {
    const none = createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': JSON_TYPE });
      res.end('{"error":"Not found","code":"route_not_found"}');
    });
    await new Promise<void>((listening) => none.listen(0, '127.0.0.1', listening));
    try {
      const url = `http://127.0.0.1:${(none.address() as AddressInfo).port}`;
      await expect(createApi(url).get('/health')).rejects.toThrow(`cannot check answers against ${url}/openapi.json: GET /openapi.json answered 404`);
    } finally {
      await new Promise<void>((closed) => none.close(() => closed()));
    }
  });
});
