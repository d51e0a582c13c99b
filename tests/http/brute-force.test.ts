/**
 * QUALITY.md's brute force over HTTP: password guesses sent all at once are counted one by one,
 * for logins and for the `current_password` of a password change or an account deletion alike,
 * so no more of them are compared than the allowance and the rest are 429 with `Retry-After`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type ApiResponse, createApi, registerAndLogin, uniqueUsername } from '../support/api-client.js';
import { expectError, expectJson, INVALID_CREDENTIALS } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const PER_ACCOUNT_AND_ADDRESS = 5;
const PER_ACCOUNT = 5;
const PER_ADDRESS = 10;
const WINDOW_SECONDS = 60;
const WRONG_PASSWORD = 'WrongPass123';
const WRONG_CURRENT_PASSWORD = { error: 'Current password is incorrect', code: 'invalid_current_password' } as const;
const RATE_LIMITED = { error: 'Too many attempts, try again later', code: 'rate_limited' } as const;

/** `times` requests started at once. */
const atOnce = (times: number, request: (index: number) => Promise<ApiResponse>): Promise<ApiResponse[]> =>
  Promise.all(Array.from({ length: times }, (_, index) => request(index)));

/**
 * Every answer is either the refusal of a compared password or a 429 with a usable Retry-After;
 * answers how many were compared.
 */
const comparedOf = (responses: readonly ApiResponse[], refusal: { error: string; code: string }): number => {
  let compared = 0;
  for (const response of responses) {
    if (response.status === 429) {
      expectError(response, 429, RATE_LIMITED.error, RATE_LIMITED.code);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    } else {
      expectJson(response, 401, refusal);
      compared += 1;
    }
  }
  return compared;
};

describeOverDatabases('brute force', (database) => {
  let server: TestServer;
  let api: Api;
  let nextAddress = 1;
  // TRUST_PROXY lets each test speak from an address of its own through X-Forwarded-For.
  const freshAddress = () => `203.0.113.${nextAddress++}`;

  beforeAll(async () => {
    server = await startTestServer({
      database,
      env: {
        LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: String(PER_ACCOUNT_AND_ADDRESS),
        LOGIN_MAX_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT),
        LOGIN_ACCOUNT_FAILURE_WINDOW: String(WINDOW_SECONDS),
        LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
        LOGIN_FAILURE_WINDOW: String(WINDOW_SECONDS),
        TRUST_PROXY: 'true',
      },
    });
    api = createApi(server.baseUrl);
  });
  afterAll(() => server?.close());

  const login = (username: string, password: string, address: string) =>
    api.request('POST', '/auth/login', { body: { username, password }, headers: { 'X-Forwarded-For': address } });

  describe('logins', () => {
    it('when 20 wrong passwords for one account arrive at once, then no more than the allowance get 401 and the rest 429 with Retry-After', async () => {
      const user = await registerAndLogin(api);

      // Each from an address of its own, so only the account's allowance is in play.
      const responses = await atOnce(20, () => login(user.username, WRONG_PASSWORD, freshAddress()));

      const compared = comparedOf(responses, INVALID_CREDENTIALS);
      expect(compared).toBeGreaterThanOrEqual(1);
      expect(compared).toBeLessThanOrEqual(PER_ACCOUNT);
      expectError(await login(user.username, user.password, freshAddress()), 429, RATE_LIMITED.error, RATE_LIMITED.code);
    });

    it('when 20 wrong passwords for one unknown name arrive at once, then it is limited the same way', async () => {
      const ghost = uniqueUsername('ghost');

      const responses = await atOnce(20, () => login(ghost, WRONG_PASSWORD, freshAddress()));

      expect(comparedOf(responses, INVALID_CREDENTIALS)).toBeLessThanOrEqual(PER_ACCOUNT);
    });

    it('when 30 guesses at different accounts arrive at once from one address, then no more than its allowance get 401', async () => {
      const address = freshAddress();

      const responses = await atOnce(30, (index) => login(uniqueUsername(`sprayed${index}`), WRONG_PASSWORD, address));

      const compared = comparedOf(responses, INVALID_CREDENTIALS);
      expect(compared).toBeGreaterThanOrEqual(1);
      expect(compared).toBeLessThanOrEqual(PER_ADDRESS);
    });

    it('when logins from one address succeed, then they do not use up its allowance', async () => {
      const user = await registerAndLogin(api);
      const office = freshAddress();

      for (let success = 0; success < PER_ADDRESS + 2; success++) {
        expect((await login(user.username, user.password, office)).status).toBe(200);
      }

      // Its whole allowance of failures is still there, and no more.
      for (let attempt = 0; attempt < PER_ADDRESS; attempt++) {
        expectJson(await login(uniqueUsername('colleague'), WRONG_PASSWORD, office), 401, INVALID_CREDENTIALS);
      }
      expectError(await login(user.username, user.password, office), 429, RATE_LIMITED.error, RATE_LIMITED.code);
    });

    it('when the right password follows wrong ones from one address, then it logs in and that address starts over', async () => {
      const user = await registerAndLogin(api);
      // Signed in from there once: the account's own limit over all addresses does not hold it.
      const home = freshAddress();
      expect((await login(user.username, user.password, home)).status).toBe(200);
      const wrong = await atOnce(PER_ACCOUNT_AND_ADDRESS - 1, () => login(user.username, WRONG_PASSWORD, home));
      expect(comparedOf(wrong, INVALID_CREDENTIALS)).toBe(PER_ACCOUNT_AND_ADDRESS - 1);

      expect((await login(user.username, user.password, home)).status).toBe(200);

      for (let attempt = 0; attempt < PER_ACCOUNT_AND_ADDRESS; attempt++) {
        expectJson(await login(user.username, WRONG_PASSWORD, home), 401, INVALID_CREDENTIALS);
      }
      expectError(await login(user.username, user.password, home), 429, RATE_LIMITED.error, RATE_LIMITED.code);
    });

    it('when the right password follows wrong ones from many addresses, then it logs in but the account keeps their count', async () => {
      const user = await registerAndLogin(api);
      const wrong = await atOnce(PER_ACCOUNT - 1, () => login(user.username, WRONG_PASSWORD, freshAddress()));
      expect(comparedOf(wrong, INVALID_CREDENTIALS)).toBe(PER_ACCOUNT - 1);

      expect((await login(user.username, user.password, freshAddress())).status).toBe(200);

      expectJson(await login(user.username, WRONG_PASSWORD, freshAddress()), 401, INVALID_CREDENTIALS);
      expectError(await login(user.username, user.password, freshAddress()), 429, RATE_LIMITED.error, RATE_LIMITED.code);
    });
  });

  describe('current_password', () => {
    const withAddress = (address: string) => ({ 'X-Forwarded-For': address });

    it('when 20 wrong current passwords for a password change arrive at once, then no more than the allowance get 401 and the rest 429', async () => {
      const user = await registerAndLogin(api);

      const responses = await atOnce(20, () =>
        api.request('PUT', '/auth/profile', {
          body: { password: 'NewSecurePass1', current_password: WRONG_PASSWORD },
          token: user.accessToken,
          headers: withAddress(freshAddress()),
        }),
      );

      const compared = comparedOf(responses, WRONG_CURRENT_PASSWORD);
      expect(compared).toBeGreaterThanOrEqual(1);
      expect(compared).toBeLessThanOrEqual(PER_ACCOUNT);
      // The same count holds the account's logins: the guesses above locked it.
      expectError(await login(user.username, user.password, freshAddress()), 429, RATE_LIMITED.error, RATE_LIMITED.code);
    });

    it('when 20 wrong current passwords for an account deletion arrive at once, then no more than the allowance get 401 and the account stays', async () => {
      const user = await registerAndLogin(api);

      const responses = await atOnce(20, () =>
        api.request('DELETE', '/auth/profile', {
          body: { current_password: WRONG_PASSWORD },
          token: user.accessToken,
          headers: withAddress(freshAddress()),
        }),
      );

      const compared = comparedOf(responses, WRONG_CURRENT_PASSWORD);
      expect(compared).toBeGreaterThanOrEqual(1);
      expect(compared).toBeLessThanOrEqual(PER_ACCOUNT);
      expect((await api.get('/auth/profile', user.accessToken)).status).toBe(200);
    });

    it('when the right current password follows wrong ones from one address, then the change is made and that address starts over, for logins too', async () => {
      const user = await registerAndLogin(api);
      const home = freshAddress();
      expect((await login(user.username, user.password, home)).status).toBe(200);
      const change = (current: string, next: string) =>
        api.request('PUT', '/auth/profile', {
          body: { password: next, current_password: current },
          token: user.accessToken,
          headers: withAddress(home),
        });
      for (let attempt = 0; attempt < PER_ACCOUNT_AND_ADDRESS - 1; attempt++) {
        expectJson(await change(WRONG_PASSWORD, 'NewSecurePass1'), 401, WRONG_CURRENT_PASSWORD);
      }

      expect((await change(user.password, 'NewSecurePass1')).status).toBe(200);

      for (let attempt = 0; attempt < PER_ACCOUNT_AND_ADDRESS; attempt++) {
        expectJson(await login(user.username, WRONG_PASSWORD, home), 401, INVALID_CREDENTIALS);
      }
      expectError(await login(user.username, 'NewSecurePass1', home), 429, RATE_LIMITED.error, RATE_LIMITED.code);
    });
  });
});
