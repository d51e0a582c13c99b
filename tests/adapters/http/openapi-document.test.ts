import { MESSAGE_MAX_CHARS_DEFAULT } from '../../../src/configuration/app-config.schema.js';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildOpenApiDocument,
  documentedRoutes,
  type HttpMethod,
  type OpenApiOperation,
} from '../../../src/adapters/http/openapi/openapi-document.js';
import { createDocsRouter } from '../../../src/adapters/http/routers/docs.router.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { passwordField } from '../../../src/application/validation/fields.js';

const document = buildOpenApiDocument({ version: '1.2.3', serverUrl: 'http://localhost:8000', messageMaxChars: MESSAGE_MAX_CHARS_DEFAULT });

const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const PUBLIC_OPERATIONS = new Set([
  'POST /auth/register',
  'POST /auth/login',
  'POST /auth/refresh',
  'GET /health',
  'GET /ready',
  'GET /openapi.json',
  'GET /docs',
  // The handshake only: the token comes in the first frame.
  'GET /ws',
]);

const operations = (): Array<{ name: string; path: string; method: HttpMethod; operation: OpenApiOperation }> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    (Object.entries(item) as Array<[HttpMethod, OpenApiOperation]>).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      path,
      method,
      operation,
    })),
  );

const errorCodesOf = (operation: OpenApiOperation): string[] =>
  Object.keys(operation.responses).filter((status) => /^[45]\d\d$/.test(status));

/** Follows a local `$ref` such as `#/components/schemas/User` through the document. */
const resolve = (ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
      return (node as Record<string, unknown>)[key];
    }, document);

const refsIn = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
};

const schema = (name: string): Record<string, unknown> => document.components.schemas[name] as Record<string, unknown>;
const property = (schemaName: string, name: string): Record<string, unknown> =>
  (schema(schemaName).properties as Record<string, Record<string, unknown>>)[name] ?? {};

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.1 document carrying the given version and server', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    expect(document.servers).toEqual([{ url: 'http://localhost:8000' }]);
  });

  it('leaves servers out when no server URL is given, so clients use the serving origin', () => {
    expect(buildOpenApiDocument({ version: '1', messageMaxChars: MESSAGE_MAX_CHARS_DEFAULT })).not.toHaveProperty('servers');
  });

  it('survives a JSON round trip unchanged, so /openapi.json says exactly what the object says', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('describes exactly the routes of the API, in Koa style for comparing with the router', () => {
    expect(documentedRoutes(document)).toEqual(
      ([
        ['POST', '/auth/register'],
        ['POST', '/auth/login'],
        ['POST', '/auth/refresh'],
        ['POST', '/auth/logout'],
        ['POST', '/auth/logout-all'],
        ['GET', '/auth/profile'],
        ['PUT', '/auth/profile'],
        ['DELETE', '/auth/profile'],
        ['POST', '/chat/sessions'],
        ['GET', '/chat/sessions'],
        ['GET', '/chat/sessions/:id'],
        ['PUT', '/chat/sessions/:id'],
        ['DELETE', '/chat/sessions/:id'],
        ['POST', '/chat/sessions/:id/messages'],
        ['GET', '/chat/sessions/:id/messages'],
        ['DELETE', '/chat/sessions/:id/messages'],
        ['PUT', '/chat/sessions/:id/messages/:message_id'],
        ['DELETE', '/chat/sessions/:id/messages/:message_id'],
        ['POST', '/chat/sessions/:id/messages/:message_id/append'],
        ['POST', '/chat/sessions/:id/messages/:message_id/complete'],
        ['GET', '/chat/sessions/:id/messages/:message_id/thread'],
        ['GET', '/chat/sessions/:id/messages/:message_id/revisions'],
        ['GET', '/events'],
        ['GET', '/ws'],
        ['GET', '/health'],
        ['GET', '/ready'],
        ['GET', '/openapi.json'],
        ['GET', '/docs'],
      ] satisfies Array<[string, string]>)
        .map(([method, path]) => ({ method, path }))
        .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    );
  });

  it('reads the routes of a document parsed from JSON too, ignoring path-level keys', () => {
    const parsed: unknown = JSON.parse(JSON.stringify({ paths: { '/a/{x}': { parameters: [], get: {} } } }));

    expect(documentedRoutes(parsed as { paths: object })).toEqual([{ method: 'GET', path: '/a/:x' }]);
  });

  it('gives every operation a unique id, a success response and a 500', () => {
    const ids = operations().map(({ operation }) => operation.operationId);

    expect(new Set(ids).size).toBe(ids.length);
    for (const { name, operation } of operations()) {
      // The WebSocket handshake succeeds with 101 Switching Protocols.
      expect(Object.keys(operation.responses).some((status) => /^(2\d\d|101)$/.test(status)), name).toBe(true);
      expect(operation.responses['500'], name).toEqual({ $ref: '#/components/responses/InternalError' });
    }
  });

  it('documents the errors each kind of operation can give', () => {
    for (const { name, path, method, operation } of operations()) {
      const codes = errorCodesOf(operation);
      if (!PUBLIC_OPERATIONS.has(name)) expect(codes, name).toEqual(expect.arrayContaining(['401', '503']));
      if (path.includes('{id}')) expect(codes, name).toContain('404');
      if (method !== 'get') expect(codes, name).toEqual(expect.arrayContaining(['400', '413', '415']));
      if ((operation.parameters ?? []).length > 0) expect(codes, name).toContain('400');
    }
    const op = (path: string, method: HttpMethod): OpenApiOperation => {
      const found = document.paths[path]?.[method];
      if (!found) throw new Error(`no ${method} ${path}`);
      return found;
    };
    expect(errorCodesOf(op('/auth/login', 'post'))).toEqual(['400', '401', '403', '413', '415', '429', '500', '503']);
    expect(errorCodesOf(op('/auth/register', 'post'))).toContain('409');
    expect(errorCodesOf(op('/auth/profile', 'put'))).toContain('409');
    expect(errorCodesOf(op('/auth/refresh', 'post'))).toContain('401');
    expect(errorCodesOf(op('/ready', 'get'))).toContain('503');
  });

  it('shares every error response as a component in the error shape', () => {
    const responses = document.components.responses as Record<string, Record<string, unknown>>;
    for (const name of [
      'BadRequest',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'MethodNotAllowed',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'TooManyRequests',
      'InternalError',
      'Unavailable',
    ]) {
      expect(refsIn(responses[name]), name).toContain('#/components/schemas/Error');
    }
    for (const { name, operation } of operations()) {
      for (const status of errorCodesOf(operation)) {
        expect(operation.responses[status], `${name} ${status}`).toHaveProperty('$ref', expect.stringMatching(/^#\/components\/responses\//));
      }
    }
    expect(responses.TooManyRequests?.headers).toHaveProperty('Retry-After');
    expect(JSON.stringify(responses.InternalError)).toContain('{"error":"Internal server error","code":"internal"}');
    expect(JSON.stringify(responses.BadRequest)).toContain('"details"');
    const notFound = JSON.stringify(responses.NotFound);
    for (const code of ['session_not_found', 'message_not_found', 'route_not_found']) expect(notFound).toContain(code);
    const conflict = JSON.stringify(responses.Conflict);
    for (const code of ['username_taken', 'email_taken']) expect(conflict).toContain(code);
    expect(JSON.stringify(responses.Forbidden)).toContain('account_disabled');
  });

  it('asks for the access token on every operation but the public ones', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const { name, operation } of operations()) {
      const schemes = operation.security.flatMap((requirement) => Object.keys(requirement));
      if (PUBLIC_OPERATIONS.has(name)) expect(schemes, name).not.toContain('bearerAuth');
      else expect(operation.security, name).toEqual([{ bearerAuth: [] }]);
    }
  });

  it('takes the refresh token as an optional bearer, since the body may carry it instead', () => {
    const refresh = document.paths['/auth/refresh']?.post;

    expect(refresh?.security).toEqual([{ refreshToken: [] }, {}]);
    expect(property('RefreshRequest', 'refresh_token')).toMatchObject({ type: 'string' });
  });

  it('resolves every $ref to a component that exists', () => {
    const refs = refsIn(document);

    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/(schemas|requestBodies|responses|parameters|headers|securitySchemes)\/[A-Za-z0-9._-]+$/);
      expect(resolve(ref), ref).toBeTypeOf('object');
    }
  });

  it('names the security schemes of each requirement among the components', () => {
    for (const { name, operation } of operations()) {
      for (const scheme of operation.security.flatMap((requirement) => Object.keys(requirement))) {
        expect(document.components.securitySchemes, name).toHaveProperty(scheme);
      }
    }
  });

  it('states the field rules as JSON Schema constraints', () => {
    expect(property('RegisterRequest', 'username')).toMatchObject({ minLength: 3, maxLength: 80, pattern: '^[A-Za-z0-9_]*$' });
    expect(property('RegisterRequest', 'email')).toMatchObject({ format: 'email', maxLength: 120 });
    expect(property('RegisterRequest', 'password')).toMatchObject({ minLength: 8, maxLength: 72 });
    expect(schema('RegisterRequest').required).toEqual(['username', 'email', 'password']);
    expect(property('CreateSessionRequest', 'title')).toMatchObject({
      anyOf: [expect.objectContaining({ type: 'string', minLength: 1, maxLength: 255 }), { type: 'null' }],
      default: 'New Chat',
    });
    expect(property('RenameSessionRequest', 'title')).toMatchObject({ minLength: 1, maxLength: 255 });
    // With `status: streaming` the text may be empty; sent whole it needs a character (its description says so).
    expect(property('SendMessageRequest', 'text')).toMatchObject({ minLength: 0, maxLength: 5000 });
    expect(property('SendMessageRequest', 'sender')).toEqual({
      anyOf: [{ type: 'string', enum: ['user', 'assistant', 'system'] }, { type: 'null' }],
      default: 'user',
    });
    expect(property('LoginRequest', 'username')).toMatchObject({ minLength: 1, maxLength: 254 });
    expect(property('RefreshRequest', 'refresh_token')).toMatchObject({ minLength: 1, maxLength: 4096 });
    expect(property('EditMessageRequest', 'text')).toMatchObject({ minLength: 1, maxLength: 5000 });
    expect(schema('UpdateProfileRequest').dependentRequired).toEqual({ password: ['current_password'] });
    expect(schema('DeleteAccountRequest').required).toEqual(['current_password']);
  });

  it('gives the password schema the same verdict as the server on the length, letter and digit rules', () => {
    const accepts = new Ajv2020({ strict: false }).compile(property('RegisterRequest', 'password'));
    const samples = ['SecurePass123', 'securepass123', 'SECUREPASS123', 'SecurePassword', 'Ünïcode-straße9', 'ÉCOLE-école-1', 'line\nBreak1x', 'Aa1short', 'Aa1shrt', `Aa1${'x'.repeat(69)}`, `Aa1${'x'.repeat(70)}`];

    for (const sample of samples) {
      expect(accepts(sample), sample).toBe(v.safeParse(passwordField, sample).success);
    }
  });

  it('states the resources with the limits their fields are written under, and no key besides', () => {
    expect(property('User', 'username')).toMatchObject({ minLength: 3, maxLength: 80 });
    expect(property('Session', 'title')).toMatchObject({ minLength: 1, maxLength: 255 });
    // The resource states no length: the limit is configured (MESSAGE_MAX_CHARS), and a text stored
    // under a higher limit stays as it is when the limit is lowered. The requests state the limit.
    expect(property('Message', 'text')).toEqual({ type: 'string', description: expect.any(String), examples: ['Hello!'] });
    expect(property('SendMessageRequest', 'text')).toMatchObject({ minLength: 0, maxLength: 5000 });
    expect(property('EditMessageRequest', 'text')).toMatchObject({ minLength: 1, maxLength: 5000 });
    expect(property('Message', 'sender')).toEqual({ type: 'string', enum: ['user', 'assistant', 'system'] });
    for (const name of ['User', 'Session', 'Message', 'Pagination', 'TokenPair', 'AuthResult', 'SessionList', 'MessageSlice', 'Error']) {
      expect(schema(name).additionalProperties, name).toBe(false);
    }
  });

  it('documents the list parameters with their ranges and defaults', () => {
    const parametersOf = (path: string): Record<string, Record<string, unknown>> =>
      Object.fromEntries(
        (document.paths[path]?.get?.parameters ?? []).map((parameter) => {
          const found = (typeof parameter.$ref === 'string' ? resolve(parameter.$ref) : parameter) as Record<string, unknown>;
          return [String(found.name), found];
        }),
      );
    const sessions = parametersOf('/chat/sessions');
    const messages = parametersOf('/chat/sessions/{id}/messages');

    expect(sessions.per_page?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    expect(sessions.page?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 });
    expect(parametersOf('/chat/sessions/{id}').per_page?.schema).toMatchObject({ minimum: 1, maximum: 200, default: 50 });
    expect(messages.per_page?.schema).toMatchObject({ minimum: 1, maximum: 200, default: 50 });
    expect(messages.limit?.schema).toMatchObject({ minimum: 1, maximum: 200, default: 50 });
    expect(messages.before_id?.schema).toEqual({ anyOf: [{ const: '' }, expect.objectContaining({ type: 'integer', minimum: 1 })] });
    expect(Object.values(messages).map((parameter) => [parameter.in, parameter.required])).toEqual([
      ['path', true],
      ...Array.from({ length: 5 }, () => ['query', false]),
    ]);
    expect(Object.keys(messages)).toEqual(['id', 'page', 'per_page', 'before_id', 'after_id', 'limit']);
    const listMessages = document.paths['/chat/sessions/{id}/messages']?.get;
    expect(refsIn(listMessages?.responses['200'])).toEqual(['#/components/schemas/MessagePage', '#/components/schemas/MessageSlice']);
  });

  it("uses the API's snake_case resource keys", () => {
    const keys = (name: string): string[] => Object.keys(schema(name).properties as object);

    expect(keys('User')).toEqual(['id', 'username', 'email', 'is_active', 'is_verified', 'created_at', 'updated_at']);
    expect(keys('Session')).toEqual(['id', 'title', 'message_count', 'last_message_at', 'created_at', 'updated_at']);
    expect(keys('Message')).toEqual([
      'id',
      'session_id',
      'parent_id',
      'client_id',
      'text',
      'sender',
      'status',
      'metadata',
      'edited_at',
      'created_at',
      'updated_at',
    ]);
    expect(keys('TokenPair')).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    expect(keys('Pagination')).toEqual(['page', 'per_page', 'total', 'pages', 'has_next', 'has_prev']);
    expect(keys('Error')).toEqual(['error', 'code', 'details']);
    expect(schema('Error').required).toEqual(['error', 'code']);
  });

  it('describes real time and the security headers in the info', () => {
    const description = String(document.info.description);

    for (const type of ['message.created', 'message.updated', 'message.deleted', 'messages.cleared', 'session.created', 'session.updated', 'session.deleted']) {
      expect(description).toContain(type);
    }
    for (const word of ['/ws', '/events', 'epoch', 'offset', 'since', 'Last-Event-ID', 'recovered', 'degraded', 'resync', 'message.delta']) expect(description).toContain(word);
    expect(description).toContain("default-src 'none'; frame-ancestors 'none'");
    expect(description).toContain('nosniff');
    expect(description).toContain('no-store');
  });

  it('describes a delta as the frame the server sends: its four fields, no position', () => {
    const delta = schema('DeltaFrame');
    expect(delta.required).toEqual(['type', 'session_id', 'message_id', 'text']);
    expect(Object.keys(delta.properties as object)).toEqual(['type', 'session_id', 'message_id', 'text']);
    expect(delta.additionalProperties).toBe(false);
    expect((delta.properties as Record<string, unknown>)['type']).toEqual({ const: 'message.delta' });
  });

  it('documents the WebSocket handshake with every close code, and the event stream as text/event-stream', () => {
    const ws = document.paths['/ws']?.get;
    const events = document.paths['/events']?.get;

    expect(Object.keys(ws?.responses ?? {})).toEqual(['101', '426', '500']);
    expect(Object.keys(events?.responses ?? {})).toEqual(['200', '400', '401', '429', '500', '503']);
    for (const code of ['4401', '1001', '1008', '1009', '1011', '1013']) expect(ws?.description).toContain(code);
    expect(Object.keys(events?.responses['200']?.content as object)).toEqual(['text/event-stream']);
    expect(events?.parameters).toEqual([expect.objectContaining({ name: 'Last-Event-ID', in: 'header', required: false })]);
    for (const frame of ['AuthFrame', 'RealtimeEvent', 'DeltaFrame', 'ReadyFrame', 'ControlFrame', 'ErrorFrame', 'StreamPosition']) {
      expect(document.components.schemas, frame).toHaveProperty(frame);
    }
  });
});

describe('createDocsRouter', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = new Koa();
    app.use(createDocsRouter(document).routes());
    server = app.listen(0);
    await new Promise<void>((ready) => server.once('listening', ready));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((closed, failed) => server.close((error) => (error ? failed(error) : closed())));
  });

  /** Sends the path exactly as written: fetch would resolve `..` segments before sending. */
  const rawGet = (path: string): Promise<number> =>
    new Promise((answered, failed) => {
      const { hostname, port } = new URL(base);
      httpRequest({ hostname, port, path, method: 'GET' }, (response) => {
        response.resume();
        answered(response.statusCode ?? 0);
      })
        .on('error', failed)
        .end();
    });

  it('serves the document as JSON at /openapi.json', async () => {
    const response = await fetch(`${base}/openapi.json`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('serves /docs as an HTML page under the strict docs policy, with no inline script and no CDN', async () => {
    const response = await fetch(`${base}/docs`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain('<div id="ui"></div>');
    expect(html).toContain('src="/docs/assets/swagger-ui-bundle.js"');
    expect(html).toContain('src="/docs/assets/docs-init.js"');
    expect(html).toContain('href="/docs/assets/swagger-ui.css"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves every asset the page links to', async () => {
    const html = await (await fetch(`${base}/docs`)).text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');

    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const response = await fetch(`${base}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-security-policy'), asset).toBe(DOCS_CSP);
    }
  });

  it('serves the Swagger UI bundle from the package as JavaScript', async () => {
    const response = await fetch(`${base}/docs/assets/swagger-ui-bundle.js`);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(body).toContain('SwaggerUIBundle');
    expect(body.length).toBeGreaterThan(100_000);
  });

  it('serves the stylesheet as CSS', async () => {
    const response = await fetch(`${base}/docs/assets/swagger-ui.css`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('starts Swagger UI on this document from a script file', async () => {
    const response = await fetch(`${base}/docs/assets/docs-init.js`);
    const script = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script).toContain('SwaggerUIBundle(');
    expect(script).toContain("url: '/openapi.json'");
    expect(script).toContain("dom_id: '#ui'");
  });

  it('answers the same bytes twice, from memory', async () => {
    const first = await (await fetch(`${base}/docs/assets/swagger-ui.css`)).text();
    const second = await (await fetch(`${base}/docs/assets/swagger-ui.css`)).text();

    expect(second).toBe(first);
  });

  it('refuses paths that climb out of the assets folder with 404', async () => {
    expect(await rawGet('/docs/assets/../../package.json')).toBe(404);
    expect((await fetch(`${base}/docs/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/docs/assets/%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('refuses files of the package that are not on the allow-list, and unknown files, with 404', async () => {
    const refused = ['package.json', 'index.html', 'swagger-initializer.js', 'swagger-ui-bundle.js.map', 'nope.js'];
    for (const file of [...refused, '__proto__', 'constructor']) {
      expect((await fetch(`${base}/docs/assets/${file}`)).status, file).toBe(404);
    }
  });
});
