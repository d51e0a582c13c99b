/**
 * Every error status of API.md over a real socket, each with its exact body `{error, code,
 * details?}` and the JSON content type.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPublisher } from '../../src/application/ports/event-publisher.port.js';
import { type Api, createApi, registerAndLogin, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { nowInSeconds, resign } from '../support/forged-tokens.js';
import {
  expectError,
  expectJson,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  MESSAGE_NOT_FOUND,
  SESSION_NOT_FOUND,
} from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestDatabase, type TestServer } from '../support/http-test-server.js';

const VALIDATION = { error: 'Validation failed', code: 'validation_failed' } as const;
const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** Starts a server for one `describe`, closed after it. */
const serverFor = (database: TestDatabase, env: Record<string, string> = {}) => {
  // Filled in by beforeAll, before any test reads it.
  const handle = {} as { server: TestServer; api: Api };
  beforeAll(async () => {
    handle.server = await startTestServer({ database, env });
    handle.api = createApi(handle.server.baseUrl);
  });
  afterAll(() => handle.server?.close());
  return handle;
};

describeOverDatabases('error answers', (database) => {
  describe('on one server with a 2 KiB body limit', () => {
    const handle = serverFor(database, { BODY_LIMIT: '2kb' });
    let api: Api;
    let access: string;
    beforeAll(async () => {
      api = handle.api;
      access = (await registerAndLogin(api)).accessToken;
    });

    describe('400', () => {
      it('when registration fields break the rules, names each field in details', async () => {
        const response = await api.post('/auth/register', { username: 'ab', email: 'not-an-email', password: 'short' });

        expectError(response, 400, VALIDATION.error, VALIDATION.code, [
          'username: must be 3-80 characters',
          'email: must be a valid email address',
          'password: must be at least 8 characters',
          'password: must contain an uppercase letter',
          'password: must contain a digit',
        ]);
      });

      it('when required fields are missing, says each is required', async () => {
        expectError(await api.post('/auth/register', {}), 400, VALIDATION.error, VALIDATION.code, [
          'username: is required',
          'email: is required',
          'password: is required',
        ]);
      });

      it('when a field has the wrong type, says so for that field', async () => {
        const response = await api.post('/chat/sessions', { title: 42 }, access);

        expectError(response, 400, VALIDATION.error, VALIDATION.code, ['title: must be a string']);
      });

      it('when a password is over 72 bytes, refuses it rather than truncating it', async () => {
        const response = await api.post('/auth/register', { username: uniqueUsername(), email: `${uniqueUsername()}@example.com`, password: `Aa1${'é'.repeat(35)}` });

        expectError(response, 400, VALIDATION.error, VALIDATION.code, ['password: must be at most 72 bytes in UTF-8']);
      });

      it('when a message has an unknown sender or only blanks, names text and sender', async () => {
        const session = await api.post('/chat/sessions', { title: 'Errors' }, access);
        const response = await api.post(`/chat/sessions/${session.body.session.id}/messages`, { text: ' \n\t ', sender: 'robot' }, access);

        expectError(response, 400, VALIDATION.error, VALIDATION.code, ['text: must be 1-5000 characters', 'sender: must be one of user, assistant, system']);
      });

      it('when per_page is out of range, names the query parameter', async () => {
        expectError(await api.get('/chat/sessions?per_page=101', access), 400, VALIDATION.error, VALIDATION.code, [
          'per_page: must be an integer from 1 to 100',
        ]);
      });

      it('when a new password comes without the current one, asks for current_password', async () => {
        expectError(await api.put('/auth/profile', { password: 'NewSecurePass123' }, access), 400, VALIDATION.error, VALIDATION.code, [
          'current_password: is required to change the password',
        ]);
      });

      it('when the JSON is malformed, says so', async () => {
        const response = await api.request('POST', '/auth/login', { rawBody: '{"username": "john", ', headers: JSON_HEADERS });

        expectError(response, 400, 'Malformed JSON body', 'malformed_json');
      });

      it('when the JSON is an array, says the body must be an object', async () => {
        const response = await api.request('POST', '/auth/login', { rawBody: '[{"username":"john"}]', headers: JSON_HEADERS });

        expectError(response, 400, VALIDATION.error, VALIDATION.code, ['body: must be a JSON object']);
      });

      it('when the JSON is a string, a number or null, says the body must be an object', async () => {
        for (const rawBody of ['"john"', '42', 'null', 'true']) {
          const response = await api.request('POST', '/auth/register', { rawBody, headers: JSON_HEADERS });
          expectError(response, 400, VALIDATION.error, VALIDATION.code, ['body: must be a JSON object']);
        }
      });

      it('when the JSON carries a __proto__ key, refuses it', async () => {
        const response = await api.request('POST', '/chat/sessions', {
          rawBody: '{"title":"x","__proto__":{"polluted":true}}',
          headers: JSON_HEADERS,
          token: access,
        });

        expectError(response, 400, 'Malformed JSON body', 'malformed_json');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    });

    describe('401', () => {
      it('when no token is sent, says the access token is missing and asks for Bearer', async () => {
        const response = await api.get('/auth/profile');

        expectError(response, 401, 'Missing access token', 'missing_token');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      });

      it('when the Authorization header is not a bearer token, treats it as missing', async () => {
        const response = await api.request('GET', '/chat/sessions', { headers: { Authorization: 'Basic am9objpwYXNz' } });

        expectError(response, 401, 'Missing access token', 'missing_token');
      });

      it('when the token is not a JWT, refuses it as invalid', async () => {
        expectJson(await api.get('/auth/profile', 'not.a.token'), 401, INVALID_TOKEN);
      });

      it('when the token has expired, refuses it as invalid', async () => {
        const expired = resign(access, handle.server.config.jwt.secret, { iat: nowInSeconds() - 120, exp: nowInSeconds() - 60 });

        expectJson(await api.get('/auth/profile', expired), 401, INVALID_TOKEN);
      });

      it('when refresh is called with no token, says the refresh token is missing', async () => {
        expectError(await api.post('/auth/refresh'), 401, 'Missing refresh token', 'missing_token');
      });

      it('when the username is unknown or the password wrong, gives the same answer', async () => {
        const user = await registerAndLogin(api);

        const unknown = await api.post('/auth/login', { username: uniqueUsername('ghost'), password: TEST_PASSWORD });
        const wrong = await api.post('/auth/login', { username: user.username, password: 'WrongPass123' });
        const wrongByEmail = await api.post('/auth/login', { username: user.email, password: 'WrongPass123' });

        expectJson(unknown, 401, INVALID_CREDENTIALS);
        expectJson(wrong, 401, INVALID_CREDENTIALS);
        expectJson(wrongByEmail, 401, INVALID_CREDENTIALS);
        expect(unknown.text).toBe(wrong.text);
      });

      it('when the current password given to change it is wrong, says so', async () => {
        const user = await registerAndLogin(api);

        const response = await api.put('/auth/profile', { password: 'NewSecurePass123', current_password: 'WrongPass123' }, user.accessToken);

        expectError(response, 401, 'Current password is incorrect', 'invalid_current_password');
      });
    });

    describe('403', () => {
      it('when a disabled account logs in with the right password, says it is disabled', async () => {
        const user = await registerAndLogin(api);
        const stored = await handle.server.users.findById(user.id);
        stored!.deactivate(new Date());
        await handle.server.users.save(stored!);

        const response = await api.post('/auth/login', { username: user.username, password: user.password });

        expectError(response, 403, 'Account is disabled', 'account_disabled');
      });
    });

    describe('404', () => {
      it('when no route has the path, answers route_not_found for any method', async () => {
        expectError(await api.get('/nope'), 404, 'Not found', 'route_not_found');
        expectError(await api.post('/chat/nope', { a: 1 }, access), 404, 'Not found', 'route_not_found');
        expectError(await api.delete('/auth'), 404, 'Not found', 'route_not_found');
        expectError(await api.get('/docs/assets/nope.js'), 404, 'Not found', 'route_not_found');
      });

      it('when the session id is not a number, zero, negative or too large, says the session is not found', async () => {
        for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
          expectJson(await api.get(`/chat/sessions/${id}`, access), 404, SESSION_NOT_FOUND);
        }
      });

      it('when the session does not exist, says the session is not found', async () => {
        expectJson(await api.get('/chat/sessions/987654', access), 404, SESSION_NOT_FOUND);
        expectJson(await api.post('/chat/sessions/987654/messages', { text: 'hi' }, access), 404, SESSION_NOT_FOUND);
      });

      it('when the message id is not a number or does not exist, says the message is not found', async () => {
        const session = await api.post('/chat/sessions', {}, access);
        const id = session.body.session.id;

        expectJson(await api.put(`/chat/sessions/${id}/messages/abc`, { text: 'x' }, access), 404, MESSAGE_NOT_FOUND);
        expectJson(await api.delete(`/chat/sessions/${id}/messages/987654`, undefined, access), 404, MESSAGE_NOT_FOUND);
      });

      it("when the session is another user's, answers as if it did not exist", async () => {
        const owner = await registerAndLogin(api);
        const session = await api.post('/chat/sessions', { title: 'Private' }, owner.accessToken);

        const response = await api.get(`/chat/sessions/${session.body.session.id}`, access);

        expectJson(response, 404, SESSION_NOT_FOUND);
        expect(response.text).toBe((await api.get('/chat/sessions/987654', access)).text);
      });
    });

    describe('405', () => {
      it('when a known path is asked with a method it does not serve, answers 405 with Allow', async () => {
        const wrongOnAuth = await api.get('/auth/login');
        const wrongOnChat = await api.request('PATCH', '/chat/sessions', { token: access });
        const wrongOnHealth = await api.delete('/health');

        expectError(wrongOnAuth, 405, 'Method not allowed', 'method_not_allowed');
        expect(wrongOnAuth.headers.get('allow')).toBe('POST');
        expectError(wrongOnChat, 405, 'Method not allowed', 'method_not_allowed');
        expect(wrongOnChat.headers.get('allow')).toBe('POST, HEAD, GET');
        expectError(wrongOnHealth, 405, 'Method not allowed', 'method_not_allowed');
        expect(wrongOnHealth.headers.get('allow')).toBe('HEAD, GET');
      });

      it('when the method is one the router does not know at all, answers 405 too', async () => {
        const response = await api.request('PROPFIND', '/auth/profile', { token: access });

        expectError(response, 405, 'Method not allowed', 'method_not_allowed');
        expect(response.headers.get('allow')).toBe('HEAD, GET, PUT, DELETE');
      });
    });

    describe('409', () => {
      it('when the username is taken in any case, says the username exists', async () => {
        const user = await registerAndLogin(api);

        const response = await api.post('/auth/register', { username: user.username.toUpperCase(), email: `${uniqueUsername()}@example.com`, password: TEST_PASSWORD });

        expectError(response, 409, 'Username already exists', 'username_taken');
      });

      it('when the email is taken in any case, says the email exists', async () => {
        const user = await registerAndLogin(api);

        const response = await api.post('/auth/register', { username: uniqueUsername(), email: user.email.toUpperCase(), password: TEST_PASSWORD });

        expectError(response, 409, 'Email already exists', 'email_taken');
      });

      it("when a profile update takes another user's username or email, refuses it", async () => {
        const taken = await registerAndLogin(api);
        const user = await registerAndLogin(api);

        expectError(await api.put('/auth/profile', { username: taken.username.toUpperCase() }, user.accessToken), 409, 'Username already exists', 'username_taken');
        expectError(await api.put('/auth/profile', { email: taken.email.toUpperCase() }, user.accessToken), 409, 'Email already exists', 'email_taken');
      });
    });

    describe('413', () => {
      it('when a JSON body is over BODY_LIMIT, refuses it', async () => {
        const response = await api.post('/chat/sessions', { title: 'x'.repeat(3000) }, access);

        expectError(response, 413, 'Request body too large', 'payload_too_large');
      });

      it('when the body is over the limit on a public route, refuses it before anything else', async () => {
        expectError(await api.post('/auth/login', { username: 'x'.repeat(3000), password: 'y' }), 413, 'Request body too large', 'payload_too_large');
      });

      it('when a body just under the limit arrives, reads it', async () => {
        const response = await api.post('/chat/sessions', { title: 'x'.repeat(255), padding: 'y'.repeat(1500) }, access);

        expect(response.status).toBe(201);
      });
    });

    describe('415', () => {
      it('when the body is text/plain, refuses it', async () => {
        const response = await api.request('POST', '/auth/login', { rawBody: 'username=john', headers: { 'Content-Type': 'text/plain' } });

        expectError(response, 415, 'Request body must be JSON', 'unsupported_media_type');
      });

      it('when the body is a form, urlencoded or multipart, refuses it', async () => {
        const urlencoded = await api.request('POST', '/auth/login', {
          rawBody: 'username=john&password=SecurePass123',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        const form = new FormData();
        form.set('title', 'x');
        const multipart = await fetch(`${api.baseUrl}/chat/sessions`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${access}` } });

        expectError(urlencoded, 415, 'Request body must be JSON', 'unsupported_media_type');
        expect(multipart.status).toBe(415);
        expect(await multipart.json()).toEqual({ error: 'Request body must be JSON', code: 'unsupported_media_type' });
      });

      it('when a body comes with no content type at all, refuses it', async () => {
        const response = await api.request('POST', '/auth/login', { rawBody: new TextEncoder().encode('{"username":"john"}') });

        expectError(response, 415, 'Request body must be JSON', 'unsupported_media_type');
      });
    });
  });

  describe('429 on repeated failed logins', () => {
    // Three failures lock an account (from addresses it has not signed in from), five an address.
    // TRUST_PROXY lets each test speak from an address of its own through X-Forwarded-For, so the
    // address counts do not mix.
    const handle = serverFor(database, {
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      LOGIN_ACCOUNT_FAILURE_WINDOW: '60',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '5',
      LOGIN_FAILURE_WINDOW: '60',
      TRUST_PROXY: 'true',
    });
    let nextAddress = 1;
    const login = (username: string, password: string, address: string) =>
      handle.api.request('POST', '/auth/login', { body: { username, password }, headers: { 'X-Forwarded-For': address } });
    const freshAddress = () => `198.51.100.${nextAddress++}`;

    const expectRateLimited = (response: Awaited<ReturnType<typeof login>>) => {
      expectError(response, 429, 'Too many attempts, try again later', 'rate_limited');
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    };

    it('when an account has failed its allowance, refuses even the right password with Retry-After', async () => {
      const user = await registerAndLogin(handle.api);
      const address = freshAddress();

      for (let attempt = 1; attempt <= 3; attempt++) expectJson(await login(user.username, 'WrongPass123', address), 401, INVALID_CREDENTIALS);

      expectRateLimited(await login(user.username, user.password, address));
      // The account is locked, not just the address it was attacked from.
      expectRateLimited(await login(user.email, user.password, freshAddress()));
    });

    it('when one address fails across many accounts, locks the address but not the accounts', async () => {
      const user = await registerAndLogin(handle.api);
      const address = freshAddress();

      for (let attempt = 1; attempt <= 5; attempt++) {
        expectJson(await login(uniqueUsername('sprayed'), 'WrongPass123', address), 401, INVALID_CREDENTIALS);
      }

      expectRateLimited(await login(user.username, user.password, address));
      expect((await login(user.username, user.password, freshAddress())).status).toBe(200);
    });

    it("when a login succeeds from one address, the account's count over all addresses still holds", async () => {
      const user = await registerAndLogin(handle.api);
      // Each attempt from an address of its own, so only the account's count is in play.
      for (let attempt = 1; attempt <= 2; attempt++) {
        expectJson(await login(user.username, 'WrongPass123', freshAddress()), 401, INVALID_CREDENTIALS);
      }
      expect((await login(user.username, user.password, freshAddress())).status).toBe(200);

      // Only the count of that account at that address starts over: the third failure anywhere locks it.
      expectJson(await login(user.username, 'WrongPass123', freshAddress()), 401, INVALID_CREDENTIALS);
      expectRateLimited(await login(user.username, user.password, freshAddress()));
    });

    it('when an unknown account is guessed at, locks that name the same way as a real one', async () => {
      const ghost = uniqueUsername('ghost');

      for (let attempt = 1; attempt <= 3; attempt++) expectJson(await login(ghost, 'WrongPass123', freshAddress()), 401, INVALID_CREDENTIALS);

      expectRateLimited(await login(ghost, 'WrongPass123', freshAddress()));
    });
  });

  describe('500', () => {
    // An event publisher that throws breaks its port's contract ("must not throw"): it stands in
    // for any bug behind a route.
    const lines: string[] = [];
    const logger = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const failing: EventPublisher = {
      publish: async () => {
        throw new Error('publisher exploded: secret internals at /srv/app');
      },
    };
    let server: TestServer;
    let api: Api;
    beforeAll(async () => {
      server = await startTestServer({ database, overrides: { events: failing, logger } });
      api = createApi(server.baseUrl);
    });
    afterAll(() => server?.close());

    it('when a route fails unexpectedly, says only "Internal server error" and logs the rest', async () => {
      const user = await registerAndLogin(api);

      const response = await api.post('/chat/sessions', { title: 'Boom' }, user.accessToken);

      expectJson(response, 500, { error: 'Internal server error', code: 'internal' });
      expect(response.text).toBe('{"error":"Internal server error","code":"internal"}');
      expect(lines.join('')).toContain('publisher exploded: secret internals at /srv/app');
    });
  });

  if (database !== 'memory') {
    describe('503 (a SQL database only: memory cannot become unreachable)', () => {
      const handle = serverFor(database);

      it('when the database is closed under a running server, answers 503 unavailable with Retry-After', async () => {
        const user = await registerAndLogin(handle.api);
        await handle.server.persistence.close();

        const profile = await handle.api.get('/auth/profile', user.accessToken);
        const login = await handle.api.post('/auth/login', { username: user.username, password: user.password });

        expectError(profile, 503, 'Database unavailable', 'unavailable');
        expect(profile.headers.get('retry-after')).toBe('5');
        expectError(login, 503, 'Database unavailable', 'unavailable');
        expectError(await handle.api.get('/ready'), 503, 'Database unavailable', 'unavailable');
        expectJson(await handle.api.get('/health'), 200, { status: 'ok' });
      });
    });
  }
});
