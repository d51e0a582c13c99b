/**
 * Password hashing has a bounded queue (QUALITY.md, "Brute force without lockout abuse"): a flood
 * of registrations and logins beyond it is refused with 503 and `Retry-After` at once, rather than
 * waiting in a backlog without bound, and the server keeps answering meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type ApiResponse, createApi, registerAndLogin, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { expectError, expectJson, INVALID_CREDENTIALS } from '../support/http-expectations.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const BUSY = { error: 'Server busy, try again later', code: 'server_busy' } as const;

describe('the password hashing queue (memory)', () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startTestServer({
      database: 'memory',
      env: {
        TRUST_PROXY: 'true',
        // One hash at a time with one waiting, each slow enough that a burst overtakes them.
        BCRYPT_ROUNDS: '10',
        PASSWORD_HASH_CONCURRENCY: '1',
        PASSWORD_HASH_QUEUE: '1',
      },
    });
    api = createApi(server.baseUrl);
  });
  afterAll(() => server?.close());

  it('when registrations and logins flood past the queue, then the overflow is 503 with Retry-After, /health answers meanwhile, and a login afterwards succeeds', async () => {
    const user = await registerAndLogin(api);

    // Each from an address of its own, so that no rate limit refuses them before the queue does.
    const flood: Array<Promise<ApiResponse>> = Array.from({ length: 40 }, (_, index) => {
      const headers = { 'X-Forwarded-For': `192.0.2.${index + 1}` };
      if (index % 2 === 0) {
        const username = uniqueUsername('flood');
        return api.request('POST', '/auth/register', {
          body: { username, email: `${username}@example.com`, password: TEST_PASSWORD },
          headers,
        });
      }
      return api.request('POST', '/auth/login', { body: { username: uniqueUsername('nobody'), password: 'WrongPass123' }, headers });
    });
    const health = await api.get('/health');
    const answers = await Promise.all(flood);

    expect(health.status).toBe(200);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expectError(answer, 503, BUSY.error, BUSY.code);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // The rest were served as usual: registrations (even indexes) created, logins refused as wrong.
    answers.forEach((answer, index) => {
      if (answer.status === 503) return;
      if (index % 2 === 0) expect(answer.status).toBe(201);
      else expectJson(answer, 401, INVALID_CREDENTIALS);
    });

    const after = await api.post('/auth/login', { username: user.username, password: user.password });
    expect(after.status).toBe(200);
  });
});
