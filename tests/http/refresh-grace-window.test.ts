/**
 * QUALITY.md "Races resolve cleanly", the refresh half, over a real socket: ten refreshes with one
 * token (two browser tabs, and then some) all get the one pair that was minted, so the user stays
 * signed in; the same token after the window ends the login; and what the logins row keeps for the
 * window is sealed, of no use to whoever reads the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroOrmPersistence } from '../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { LoginRepository } from '../../src/application/ports/login-repository.port.js';
import { ManualClock } from '../../src/testing.js';
import { type Api, type ApiResponse, createApi, registerAndLogin } from '../support/api-client.js';
import { claimsOf } from '../support/forged-tokens.js';
import { expectJson, INVALID_TOKEN, JWT } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestDatabase, type TestServer } from '../support/http-test-server.js';

const TOKEN_REUSED = { error: 'Refresh token was already used; the login has been revoked', code: 'token_reused' } as const;

/** A refresh answer: 200 with a token pair whose access token has at most its 900 seconds left. */
const expectPair = (answer: ApiResponse): void => {
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    access_token: expect.stringMatching(JWT),
    refresh_token: expect.stringMatching(JWT),
    token_type: 'Bearer',
    expires_in: expect.any(Number),
  });
  // Inside a 10 s window the shared access token has lost at most those seconds of its life.
  expect(answer.body.expires_in).toBeGreaterThan(900 - 11);
  expect(answer.body.expires_in).toBeLessThanOrEqual(900);
};

/** The login's stored row as the database holds it (in memory: the repository's record of it). */
const storedLoginRow = async (server: TestServer, database: TestDatabase, loginId: string): Promise<Record<string, unknown>> => {
  if (database === 'memory') {
    const login = await server.container.get<LoginRepository>(LoginRepository).findById(loginId);
    return { ...login };
  }
  const connection = (server.persistence as MikroOrmPersistence).orm.em.fork().getConnection();
  const [row] = (await connection.execute('SELECT * FROM logins WHERE id = ?', [loginId])) as Record<string, unknown>[];
  if (!row) throw new Error(`no logins row ${loginId}`);
  return row;
};

describeOverDatabases(
  'the refresh grace window',
  (database) => {
    describe('on the default window (10 s), on the real clock', () => {
      let server: TestServer;
      let api: Api;
      beforeAll(async () => {
        server = await startTestServer({ database });
        api = createApi(server.baseUrl);
      });
      afterAll(() => server?.close());

      const refreshWith = (token: string) => api.request('POST', '/auth/refresh', { token });

      it('when 10 refreshes with one refresh token arrive at once, all get 200 with the identical pair, and its refresh token works afterwards', async () => {
        const user = await registerAndLogin(api);
        // Ten kept-alive sockets and ten pooled database connections first, so that the refreshes
        // reach the database together instead of queueing behind connects.
        await Promise.all(Array.from({ length: 10 }, () => api.get('/auth/profile', user.accessToken)));

        const answers = await Promise.all(Array.from({ length: 10 }, () => refreshWith(user.refreshToken)));

        for (const answer of answers) expectPair(answer);
        const [first] = answers;
        const tokens = new Set(answers.map((answer) => `${answer.body.access_token} ${answer.body.refresh_token}`));
        expect(tokens.size).toBe(1);
        expect(first!.body.refresh_token).not.toBe(user.refreshToken);
        expect(claimsOf(first!.body.refresh_token).sid).toBe(claimsOf(user.refreshToken).sid);

        expect((await api.get('/auth/profile', first!.body.access_token)).status).toBe(200);
        const next = await refreshWith(first!.body.refresh_token);
        expectPair(next);
        expect(next.body.refresh_token).not.toBe(first!.body.refresh_token);
        expect((await api.get('/auth/profile', next.body.access_token)).status).toBe(200);
      });

      it('when the logins row is read during the window, nothing in it is a token or a part of one: the pair is sealed', async () => {
        const user = await registerAndLogin(api);
        const pair = await refreshWith(user.refreshToken);
        expectPair(pair);
        const loginId = String(claimsOf(user.refreshToken).sid);

        const row = await storedLoginRow(server, database, loginId);

        const sealed = String(row['sealed_pair'] ?? row['sealedPair']);
        expect(sealed).toMatch(/^v1\.[\w-]{200,}$/);
        expect(row['sealed_pair_expires_at'] ?? row['sealedPairExpiresAt']).not.toBeNull();
        // The row as text, and the sealed value's bytes as text: neither holds any piece of a token.
        const readable = [JSON.stringify(row), Buffer.from(sealed.slice(3), 'base64url').toString('latin1')];
        for (const token of [pair.body.access_token, pair.body.refresh_token, user.refreshToken, user.accessToken]) {
          for (const part of String(token).split('.')) {
            for (const text of readable) expect(text).not.toContain(part);
          }
        }
      });
    });

    describe('on a configured window of 2 s, on a clock the test moves', () => {
      const clock = new ManualClock();
      let server: TestServer;
      let api: Api;
      beforeAll(async () => {
        server = await startTestServer({ database, env: { REFRESH_REUSE_GRACE: '2s' }, overrides: { clock } });
        api = createApi(server.baseUrl);
      });
      afterAll(() => server?.close());

      const refreshWith = (token: string) => api.request('POST', '/auth/refresh', { token });
      const loginOf = (token: string) =>
        server.container.get<LoginRepository>(LoginRepository).findById(String(claimsOf(token).sid));

      it('when the spent token comes back just inside the window, the same pair; from the instant it closes, 401 token_reused and the login is gone', async () => {
        const user = await registerAndLogin(api);
        const pair = await refreshWith(user.refreshToken);
        expectPair(pair);

        clock.advance(1999);
        const again = await refreshWith(user.refreshToken);
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ ...pair.body, expires_in: 899 });

        clock.advance(1);
        expectJson(await refreshWith(user.refreshToken), 401, TOKEN_REUSED);

        expectJson(await refreshWith(pair.body.refresh_token), 401, INVALID_TOKEN);
        expectJson(await api.get('/auth/profile', pair.body.access_token), 401, INVALID_TOKEN);
        expectJson(await api.get('/auth/profile', user.accessToken), 401, INVALID_TOKEN);
        expect(await loginOf(user.refreshToken)).toMatchObject({ revokedAt: clock.now(), sealedPair: null, sealedPairExpiresAt: null });
      });

      it('when 10 refreshes with the spent token arrive at once after the window, one is told of the reuse, the rest find the login ended', async () => {
        const user = await registerAndLogin(api);
        const pair = await refreshWith(user.refreshToken);
        expectPair(pair);
        clock.advance(2000);

        const answers = await Promise.all(Array.from({ length: 10 }, () => refreshWith(user.refreshToken)));

        expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 401));
        const codes = answers.map((answer) => answer.body.code as string).sort();
        expect(codes).toEqual(['token_reused', ...Array.from({ length: 9 }, () => 'invalid_token')].sort());
        expectJson(await refreshWith(pair.body.refresh_token), 401, INVALID_TOKEN);
        expect((await loginOf(user.refreshToken))?.revokedAt).not.toBeNull();
      });
    });
  },
  { withMySql: true },
);
