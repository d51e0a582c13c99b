/**
 * Two built servers (`node dist/src/main.js`) on one MySQL database and one Redis: with
 * `REDIS_URL` the rate-limit counters live in Redis, so each limit holds in sum across the
 * instances, not once per instance (QUALITY.md: "Limits hold across instances").
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiResponse, TEST_PASSWORD, uniqueUsername } from '../support/api-client.js';
import { createMySqlTestDatabase, type MySqlTestDatabase } from '../support/mysql-test-database.js';
import { dropKeys, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/redis-test.js';
import { describeWithServices, MYSQL, REDIS } from '../support/required-services.js';
import { baseEnv, BUILD_TIMEOUT_MS, cleanUp, ensureBuilt, mySqlEnv, randomSecret, type RunningServer, startServer } from '../support/server-process.js';

const PER_ACCOUNT_AND_ADDRESS = 5;
const REGISTRATIONS = 4;
const WRITES = 6;
const WRONG_PASSWORD = 'WrongPass123';

const expectLimited = (response: ApiResponse): void => {
  expect(response.status).toBe(429);
  expect(response.body).toMatchObject({ code: 'rate_limited' });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
};

describeWithServices('rate limits across two server processes on one mysql database and one redis', [MYSQL, REDIS], () => {
  const redisUrl = TEST_REDIS_URL ?? '';
  let database: MySqlTestDatabase | undefined;
  const keyPrefix = uniqueKeyPrefix();
  let a: RunningServer;
  let b: RunningServer;
  let nextAddress = 1;
  const freshAddress = () => `203.0.113.${nextAddress++}`;
  const from = (address: string) => ({ 'X-Forwarded-For': address });

  beforeAll(async () => {
    await ensureBuilt();
    database = await createMySqlTestDatabase();
    const env = baseEnv({
      ...mySqlEnv(database.options),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      JWT_SECRET_KEY: randomSecret(),
      TRUST_PROXY: 'true',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: String(PER_ACCOUNT_AND_ADDRESS),
      REGISTRATIONS_PER_ADDRESS: String(REGISTRATIONS),
      MESSAGE_WRITES_PER_MINUTE: String(WRITES),
    });
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await cleanUp();
    await database?.drop();
    if (redisUrl) await dropKeys(redisUrl, keyPrefix);
  });

  const register = async (server: RunningServer, address: string): Promise<ApiResponse> => {
    const username = uniqueUsername('shared');
    return server.api.request('POST', '/auth/register', {
      body: { username, email: `${username}@example.com`, password: TEST_PASSWORD },
      headers: from(address),
    });
  };
  const login = (server: RunningServer, username: string, password: string, address: string) =>
    server.api.request('POST', '/auth/login', { body: { username, password }, headers: from(address) });

  it('when five logins of one account from one address fail, spread over both instances, then the sixth is 429 on either, the right password included', async () => {
    const registered = await register(a, freshAddress());
    expect(registered.status).toBe(201);
    const username = registered.body.user.username as string;
    const guesser = freshAddress();

    for (let attempt = 0; attempt < PER_ACCOUNT_AND_ADDRESS; attempt += 1) {
      const failed = await login(attempt % 2 === 0 ? a : b, username, WRONG_PASSWORD, guesser);
      expect(failed.status).toBe(401);
    }

    expectLimited(await login(a, username, TEST_PASSWORD, guesser));
    expectLimited(await login(b, username, TEST_PASSWORD, guesser));
  });

  it('when one address registers through both instances, then its allowance holds in sum', async () => {
    const address = freshAddress();
    for (let account = 0; account < REGISTRATIONS; account += 1) {
      expect((await register(account % 2 === 0 ? a : b, address)).status).toBe(201);
    }

    expectLimited(await register(a, address));
    expectLimited(await register(b, address));
  });

  it('when one user sends through both instances, then the limit on message writes holds in sum', async () => {
    const registered = await register(a, freshAddress());
    const token = registered.body.access_token as string;
    const created = await a.api.post('/chat/sessions', { title: 'Across instances' }, token);
    const sessionId = created.body.session.id as number;
    const send = (server: RunningServer) => server.api.post(`/chat/sessions/${sessionId}/messages`, { text: 'hi' }, token);

    for (let message = 0; message < WRITES; message += 1) expect((await send(message % 2 === 0 ? a : b)).status).toBe(201);

    expectLimited(await send(a));
    expectLimited(await send(b));
  });
});
