/**
 * QUALITY.md's "Brute force without lockout abuse" over HTTP, for what the attack found:
 * a stranger's failures must not lock the owner out of an address the owner has signed in from,
 * concurrent correct logins are never answered 429, registrations are limited per address, and
 * message writes per user. Every answer is held to the served OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type ApiResponse, createApi, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { expectError, expectJson, INVALID_CREDENTIALS } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const WRONG_PASSWORD = 'WrongPass123';
const LOGIN_LIMITED = { error: 'Too many attempts, try again later', code: 'rate_limited' } as const;
const REGISTRATIONS_LIMITED = { error: 'Too many registrations, try again later', code: 'rate_limited' } as const;
const WRITES_LIMITED = { error: 'Too many messages, try again later', code: 'rate_limited' } as const;

/** A 429 with the given body and a `Retry-After` of whole seconds within `maxSeconds`. */
const expectLimited = (response: ApiResponse, body: { error: string; code: string }, maxSeconds: number): void => {
  expectError(response, 429, body.error, body.code);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
};

describeOverDatabases('throttling', (database) => {
  let server: TestServer;
  let api: Api;
  let nextAddress = 1;
  // TRUST_PROXY lets each request speak from an address of its own through X-Forwarded-For.
  const freshAddress = () => `198.51.100.${nextAddress++}`;
  const from = (address: string) => ({ 'X-Forwarded-For': address });

  const PER_ACCOUNT = 3;
  const PER_ACCOUNT_AND_ADDRESS = 5;
  const REGISTRATIONS = 3;
  const WRITES = 5;

  beforeAll(async () => {
    server = await startTestServer({
      database,
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: String(PER_ACCOUNT_AND_ADDRESS),
        LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
        LOGIN_ACCOUNT_FAILURE_WINDOW: '1h',
        REGISTRATIONS_PER_ADDRESS: String(REGISTRATIONS),
        REGISTRATION_WINDOW: '1h',
        MESSAGE_WRITES_PER_MINUTE: String(WRITES),
      },
    });
    api = createApi(server.baseUrl);
  });
  afterAll(() => server?.close());

  const register = async (address: string) => {
    const username = uniqueUsername('owner');
    const response = await api.request('POST', '/auth/register', {
      body: { username, email: `${username}@example.com`, password: TEST_PASSWORD },
      headers: from(address),
    });
    expect(response.status).toBe(201);
    return { username, accessToken: response.body.access_token as string };
  };
  const login = (username: string, password: string, address: string) =>
    api.request('POST', '/auth/login', { body: { username, password }, headers: from(address) });

  describe('failed logins from strangers', () => {
    it('when strangers fail on an account from many addresses, then its owner still signs in from an address used before, and a new address is refused', async () => {
      const home = freshAddress();
      const owner = await register(home);

      // One failure each from as many addresses as the account allows in all, then one more.
      for (let stranger = 0; stranger < PER_ACCOUNT; stranger += 1) {
        expectJson(await login(owner.username, WRONG_PASSWORD, freshAddress()), 401, INVALID_CREDENTIALS);
      }
      expectLimited(await login(owner.username, WRONG_PASSWORD, freshAddress()), LOGIN_LIMITED, 3600);

      expect((await login(owner.username, TEST_PASSWORD, home)).status).toBe(200);
      expectLimited(await login(owner.username, TEST_PASSWORD, freshAddress()), LOGIN_LIMITED, 3600);
    });

    it('when a stranger uses up the allowance of the account at the address the stranger uses, then the owner still signs in from home', async () => {
      const home = freshAddress();
      const owner = await register(home);
      const stranger = freshAddress();

      for (let attempt = 0; attempt < PER_ACCOUNT; attempt += 1) {
        expectJson(await login(owner.username, WRONG_PASSWORD, stranger), 401, INVALID_CREDENTIALS);
      }
      expectLimited(await login(owner.username, WRONG_PASSWORD, stranger), LOGIN_LIMITED, 3600);

      expect((await login(owner.username, TEST_PASSWORD, home)).status).toBe(200);
    });

    it('when the owner fails at home, then five failures there lock home, and a success before that starts home over', async () => {
      const home = freshAddress();
      const owner = await register(home);

      for (let attempt = 0; attempt < PER_ACCOUNT_AND_ADDRESS - 1; attempt += 1) {
        expectJson(await login(owner.username, WRONG_PASSWORD, home), 401, INVALID_CREDENTIALS);
      }
      expect((await login(owner.username, TEST_PASSWORD, home)).status).toBe(200);
      for (let attempt = 0; attempt < PER_ACCOUNT_AND_ADDRESS; attempt += 1) {
        expectJson(await login(owner.username, WRONG_PASSWORD, home), 401, INVALID_CREDENTIALS);
      }

      expectLimited(await login(owner.username, TEST_PASSWORD, home), LOGIN_LIMITED, 900);
    });
  });

  describe('concurrent correct logins', () => {
    it('when 12 logins with the right password arrive at once from one address, then all 12 are 200', async () => {
      const address = freshAddress();
      const owner = await register(address);

      const responses = await Promise.all(Array.from({ length: 12 }, () => login(owner.username, TEST_PASSWORD, address)));

      expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    });

    it('when 12 logins with the right password arrive at once among 20 wrong ones from elsewhere, then all 12 are 200 and no more wrong ones than the allowance are compared', async () => {
      const home = freshAddress();
      const owner = await register(home);
      const stranger = freshAddress();

      const responses = await Promise.all([
        ...Array.from({ length: 12 }, () => login(owner.username, TEST_PASSWORD, home)),
        ...Array.from({ length: 20 }, () => login(owner.username, WRONG_PASSWORD, stranger)),
      ]);

      expect(responses.slice(0, 12).map((response) => response.status)).toEqual(Array(12).fill(200));
      const guesses = responses.slice(12);
      const compared = guesses.filter((response) => response.status === 401).length;
      for (const refused of guesses.filter((response) => response.status !== 401)) expectLimited(refused, LOGIN_LIMITED, 3600);
      expect(compared).toBeGreaterThanOrEqual(1);
      expect(compared).toBeLessThanOrEqual(PER_ACCOUNT);
    });
  });

  describe('registrations', () => {
    it('when one address registers more accounts than its allowance, then the next is 429 with Retry-After, and another address may still register', async () => {
      const address = freshAddress();
      for (let account = 0; account < REGISTRATIONS; account += 1) await register(address);
      const username = uniqueUsername('extra');
      const body = { username, email: `${username}@example.com`, password: TEST_PASSWORD };

      expectLimited(await api.request('POST', '/auth/register', { body, headers: from(address) }), REGISTRATIONS_LIMITED, 3600);
      // The refused registration created nothing: the same name is still free elsewhere.
      expect((await api.request('POST', '/auth/register', { body, headers: from(freshAddress()) })).status).toBe(201);
    });

    it('when registrations from one address arrive at once, then no more than the allowance are created', async () => {
      const address = freshAddress();

      const responses = await Promise.all(
        Array.from({ length: 10 }, () => {
          const username = uniqueUsername('burst');
          return api.request('POST', '/auth/register', {
            body: { username, email: `${username}@example.com`, password: TEST_PASSWORD },
            headers: from(address),
          });
        }),
      );

      expect(responses.filter((response) => response.status === 201)).toHaveLength(REGISTRATIONS);
      for (const refused of responses.filter((response) => response.status !== 201)) expectLimited(refused, REGISTRATIONS_LIMITED, 3600);
    });
  });

  describe('message writes', () => {
    it('when a user sends more messages in a minute than the limit, then the next is 429 with Retry-After, and another user may still send', async () => {
      const alice = await register(freshAddress());
      const bob = await register(freshAddress());
      const session = async (token: string) => (await api.post('/chat/sessions', { title: 'Limits' }, token)).body.session.id as number;
      const aliceSession = await session(alice.accessToken);
      const bobSession = await session(bob.accessToken);
      const send = (token: string, sessionId: number) => api.post(`/chat/sessions/${sessionId}/messages`, { text: 'hi' }, token);

      const sent = await Promise.all(Array.from({ length: WRITES + 3 }, () => send(alice.accessToken, aliceSession)));

      expect(sent.filter((response) => response.status === 201)).toHaveLength(WRITES);
      for (const refused of sent.filter((response) => response.status !== 201)) expectLimited(refused, WRITES_LIMITED, 60);
      expect((await api.get(`/chat/sessions/${aliceSession}/messages`, alice.accessToken)).body.messages).toHaveLength(WRITES);
      expect((await send(bob.accessToken, bobSession)).status).toBe(201);
    });
  });
});
