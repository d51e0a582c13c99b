/**
 * QUALITY.md's token list over HTTP: every forged, stale or misused token is a 401 in the same
 * words, and refresh tokens rotate with reuse detection.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/testing.js';
import { type Api, createApi, registerAndLogin, type RegisteredUser } from '../support/api-client.js';
import { claimsOf, nowInSeconds, resign, unsigned } from '../support/forged-tokens.js';
import { expectError, expectJson, INVALID_TOKEN, tokenPair } from '../support/http-expectations.js';
import { describeOverDatabases } from '../support/http-targets.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

/** An RSA key of the attacker's own, made once for the file (2048-bit generation is slow). */
const attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const TOKEN_REUSED = { error: 'Refresh token was already used; the login has been revoked', code: 'token_reused' } as const;

describeOverDatabases(
  'token attacks',
  (database) => {
    let server: TestServer;
    let api: Api;
    let secret: string;

    beforeAll(async () => {
      server = await startTestServer({ database });
      api = createApi(server.baseUrl);
      secret = server.config.jwt.secret;
    });
    afterAll(() => server?.close());

    /** Both routes that take an access token refuse `token` in the same words. */
    const expectAccessRefused = async (token: string) => {
      expectJson(await api.get('/auth/profile', token), 401, INVALID_TOKEN);
      expectJson(await api.get('/chat/sessions', token), 401, INVALID_TOKEN);
    };
    const refreshWith = (token: string) => api.request('POST', '/auth/refresh', { token });

    describe('forged and altered access tokens', () => {
      let user: RegisteredUser;
      beforeAll(async () => {
        user = await registerAndLogin(api);
      });

      it('accepts the genuine token (the baseline every forgery below is a change of)', async () => {
        expect((await api.get('/auth/profile', user.accessToken)).status).toBe(200);
        expect((await api.get('/auth/profile', resign(user.accessToken, secret))).status).toBe(200);
      });

      it('when the token says alg "none" with no signature, refuses it', async () => {
        await expectAccessRefused(unsigned(user.accessToken));
      });

      it('when the token is HS512-signed with the server secret, refuses it (the algorithm is pinned)', async () => {
        await expectAccessRefused(resign(user.accessToken, secret, {}, 'HS512'));
      });

      it('when the token is RS256-signed with an attacker key, refuses it', async () => {
        await expectAccessRefused(resign(user.accessToken, attackerKey, {}, 'RS256'));
      });

      it('when the header says RS256 but the signature is HMAC with the server secret, refuses it', async () => {
        const genuine = resign(user.accessToken, secret);
        const [, payload, signature] = genuine.split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');

        await expectAccessRefused(`${header}.${payload}.${signature}`);
      });

      it('when the token is signed with another secret, refuses it', async () => {
        await expectAccessRefused(resign(user.accessToken, randomBytes(48).toString('base64url')));
      });

      it('when the claims were changed after signing, refuses it', async () => {
        const [header, , signature] = user.accessToken.split('.');
        const other = await registerAndLogin(api);
        const payload = Buffer.from(JSON.stringify({ ...claimsOf(user.accessToken), sub: other.id })).toString('base64url');

        await expectAccessRefused(`${header}.${payload}.${signature}`);
      });

      it('when the token has expired, refuses it', async () => {
        await expectAccessRefused(resign(user.accessToken, secret, { iat: nowInSeconds() - 1000, exp: nowInSeconds() - 100 }));
      });

      it('when the token never expires, refuses it', async () => {
        await expectAccessRefused(resign(user.accessToken, secret, { exp: undefined }));
      });

      it('when the issuer or the audience is another, refuses it', async () => {
        await expectAccessRefused(resign(user.accessToken, secret, { iss: 'someone-else' }));
        await expectAccessRefused(resign(user.accessToken, secret, { aud: 'another-api' }));
        await expectAccessRefused(resign(user.accessToken, secret, { iss: undefined }));
        await expectAccessRefused(resign(user.accessToken, secret, { aud: undefined }));
      });

      it('when the token names a user or login other than its own, refuses it', async () => {
        const other = await registerAndLogin(api);

        // A validly signed token pairing one user with another's login must not be accepted.
        await expectAccessRefused(resign(user.accessToken, secret, { sub: other.id }));
        await expectAccessRefused(resign(user.accessToken, secret, { sid: claimsOf(other.accessToken).sid }));
        await expectAccessRefused(resign(user.accessToken, secret, { sid: '00000000-0000-4000-8000-000000000000' }));
      });
    });

    describe('token types', () => {
      it('when a refresh token is used as an access token, refuses it', async () => {
        const user = await registerAndLogin(api);

        await expectAccessRefused(user.refreshToken);
      });

      it('when an access token is used to refresh, refuses it', async () => {
        const user = await registerAndLogin(api);

        expectJson(await refreshWith(user.accessToken), 401, INVALID_TOKEN);
        expectJson(await api.post('/auth/refresh', { refresh_token: user.accessToken }), 401, INVALID_TOKEN);
        // The refresh token was not spent by the attempt.
        expectJson(await refreshWith(user.refreshToken), 200, tokenPair());
      });
    });

    describe('tokens of ended logins and of gone or disabled users', () => {
      it('when the login was ended by logout, refuses its access and refresh tokens', async () => {
        const user = await registerAndLogin(api);
        expect((await api.post('/auth/logout', undefined, user.accessToken)).status).toBe(200);

        await expectAccessRefused(user.accessToken);
        expectJson(await refreshWith(user.refreshToken), 401, INVALID_TOKEN);
      });

      it('when the user was deleted, refuses their access and refresh tokens', async () => {
        const user = await registerAndLogin(api);
        expect((await api.delete('/auth/profile', { current_password: user.password }, user.accessToken)).status).toBe(200);

        await expectAccessRefused(user.accessToken);
        expectJson(await refreshWith(user.refreshToken), 401, INVALID_TOKEN);
      });

      it('when the user was disabled, refuses their access and refresh tokens', async () => {
        const user = await registerAndLogin(api);
        const stored = await server.users.findById(user.id);
        stored!.deactivate(new Date());
        await server.users.save(stored!);

        await expectAccessRefused(user.accessToken);
        expectJson(await refreshWith(user.refreshToken), 401, INVALID_TOKEN);
      });
    });

    describe('refresh rotation with reuse detection', () => {
      // Reuse is a spent token presented after the grace window (inside it, the tabs of one
      // browser share a pair: tests/http/refresh-grace-window.test.ts). This server's clock is
      // moved past the window instead of waiting it out.
      const clock = new ManualClock();
      const GRACE_MS = 2000;
      let graceServer: TestServer;
      let graceApi: Api;
      beforeAll(async () => {
        graceServer = await startTestServer({ database, env: { REFRESH_REUSE_GRACE: `${GRACE_MS / 1000}s` }, overrides: { clock } });
        graceApi = createApi(graceServer.baseUrl);
      });
      afterAll(() => graceServer?.close());
      const refreshOn = (token: string) => graceApi.request('POST', '/auth/refresh', { token });
      const expectAccessRefusedOn = async (token: string) => {
        expectJson(await graceApi.get('/auth/profile', token), 401, INVALID_TOKEN);
        expectJson(await graceApi.get('/chat/sessions', token), 401, INVALID_TOKEN);
      };

      it('when a refresh token is spent, gives a new pair and, after the grace window, refuses the spent one', async () => {
        const user = await registerAndLogin(graceApi);

        const rotated = await refreshOn(user.refreshToken);

        expectJson(rotated, 200, tokenPair());
        expect(claimsOf(rotated.body.refresh_token).sid).toBe(claimsOf(user.refreshToken).sid);
        clock.advance(GRACE_MS);
        expectJson(await refreshOn(user.refreshToken), 401, TOKEN_REUSED);
      });

      it("when a thief's spent refresh token is presented again after the grace window, ends the login: the thief's new pair and the owner's tokens all stop working", async () => {
        const owner = await registerAndLogin(graceApi);
        const stolen = owner.refreshToken;
        // The thief is first to use the stolen token and gets a pair of their own.
        const thief = await refreshOn(stolen);
        expectJson(thief, 200, tokenPair());
        expect((await graceApi.get('/auth/profile', thief.body.access_token)).status).toBe(200);

        // The owner presents the same (now spent) token once the window has closed: reuse.
        clock.advance(GRACE_MS);
        expectError(await refreshOn(stolen), 401, TOKEN_REUSED.error, TOKEN_REUSED.code);

        await expectAccessRefusedOn(thief.body.access_token);
        expectJson(await refreshOn(thief.body.refresh_token), 401, INVALID_TOKEN);
        await expectAccessRefusedOn(owner.accessToken);
        // The owner's other logins are not touched; they can sign in again.
        expect((await graceApi.post('/auth/login', { username: owner.username, password: owner.password })).status).toBe(200);
      });
    });
  },
  { withMySql: true },
);
