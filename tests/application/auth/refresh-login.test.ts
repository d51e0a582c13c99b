import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../../src/domain/domain-error.js';
import { Login } from '../../../src/domain/login.entity.js';
import { must } from '../../contract/repository-contract-support.js';
import { DAY, SECOND } from '../../support/builders.js';
import {
  authenticateWith,
  INVALID_TOKEN,
  TOKEN_REUSED,
  disableUser,
  logInAgain,
  loginsEnded,
  newBackend,
  registerAlice,
  validationFailure,
} from '../../support/auth-fixtures.js';

/** The server's default window (`REFRESH_REUSE_GRACE`, 10 s), which the harness keeps. */
const GRACE_MS = 10 * SECOND;

describe('RefreshLogin', () => {
  describe('when the refresh token is the current one', () => {
    it('hands out a new token pair for the same login', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const tokens = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(tokens.refreshToken).not.toBe(alice.tokens.refreshToken);
      expect(tokens.accessToken).not.toBe(alice.tokens.accessToken);
      expect(await backend.authenticate.execute({ accessToken: tokens.accessToken })).toEqual(alice.principal);
    });

    it('leaves the access tokens issued before the rotation working', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      expect(await backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).toEqual(alice.principal);
    });

    it('lets each new refresh token be spent in turn', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      let refreshToken = alice.tokens.refreshToken;
      for (let round = 0; round < 3; round += 1) {
        ({ refreshToken } = await backend.refreshLogin.execute({ refreshToken }));
      }

      await expect(backend.refreshLogin.execute({ refreshToken })).resolves.toMatchObject({ tokenType: 'Bearer' });
    });

    it('keeps an active device signed in past the first 30 days', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      backend.clock.advance(20 * DAY);
      const { refreshToken } = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      backend.clock.advance(25 * DAY);

      await expect(backend.refreshLogin.execute({ refreshToken })).resolves.toMatchObject({ tokenType: 'Bearer' });
    });
  });

  describe('when a spent refresh token is presented after the grace window', () => {
    it('refuses it with "token_reused"', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      backend.clock.advance(GRACE_MS);

      const replay = backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      await expect(replay).rejects.toBeInstanceOf(UnauthenticatedError);
      await expect(replay).rejects.toMatchObject(TOKEN_REUSED);
    });

    it('revokes the whole login: the newest refresh token and every access token of it stop working', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const rotated = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      backend.clock.advance(GRACE_MS);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );

      await expect(backend.refreshLogin.execute({ refreshToken: rotated.refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
      await expect(backend.authenticate.execute({ accessToken: rotated.accessToken })).rejects.toMatchObject(INVALID_TOKEN);
      await expect(backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
      expect((await backend.ports.logins.findById(alice.principal.loginId))?.revokedAt).toEqual(backend.clock.now());
    });

    it('publishes that the login ended, once', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      backend.clock.advance(GRACE_MS);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );
      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );

      expect(loginsEnded(backend)).toEqual([
        { type: 'logins.ended', userId: alice.user.id, loginIds: [alice.principal.loginId] },
      ]);
    });

    it('leaves the other logins of the user signed in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const laptop = await logInAgain(backend, alice);
      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      backend.clock.advance(GRACE_MS);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );

      expect(await backend.authenticate.execute({ accessToken: laptop.tokens.accessToken })).toEqual(laptop.principal);
      await expect(backend.refreshLogin.execute({ refreshToken: laptop.tokens.refreshToken })).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });

    it('counts a token spent two rotations ago as reuse at once: only the token spent last has a window', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const second = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      await backend.refreshLogin.execute({ refreshToken: second.refreshToken });

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );
      expect((await backend.ports.logins.findById(alice.principal.loginId))?.isLive(backend.clock.now())).toBe(false);
    });
  });

  describe('when the token just spent is presented again inside the grace window (two tabs)', () => {
    it('hands out the same pair again: the same tokens, and the access token\'s remaining life', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const first = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      backend.clock.advance(1500);

      const again = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      expect(again).toEqual({ ...first, expiresIn: 899 });
      expect(first.expiresIn).toBe(900);
      expect(await authenticateWith(backend, again)).toEqual(alice.principal);
    });

    it('hands it out up to the millisecond before the window closes, and from that instant on it is reuse', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const first = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      backend.clock.advance(GRACE_MS - 1);
      expect(await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).toMatchObject({
        accessToken: first.accessToken,
        refreshToken: first.refreshToken,
      });

      backend.clock.advance(1);
      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );
      await expect(backend.refreshLogin.execute({ refreshToken: first.refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
    });

    it('leaves the login as it was: not revoked, nothing announced, the new refresh token still the one to spend', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const first = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      const rotated = structuredClone({ ...(await backend.ports.logins.findById(alice.principal.loginId)) });

      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      expect({ ...(await backend.ports.logins.findById(alice.principal.loginId)) }).toEqual(rotated);
      expect(loginsEnded(backend)).toEqual([]);
      const next = await backend.refreshLogin.execute({ refreshToken: first.refreshToken });
      expect(next.refreshToken).not.toBe(first.refreshToken);
    });

    it('counts the same token as reuse inside the window once the login has ended (logged out): invalid, nothing handed out', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      await backend.logOut.execute(alice.principal);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('when the sealed pair does not open (another key, altered), refuses this caller and leaves the login signed in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const first = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      const stored = must(await backend.ports.logins.findById(alice.principal.loginId));
      const sealed = must(stored.sealedPair);
      // One character in the middle changed (each carries 6 bits of ciphertext there): the tag no longer matches.
      const middle = Math.floor(sealed.length / 2);
      const altered = `${sealed.slice(0, middle)}${sealed[middle] === 'A' ? 'B' : 'A'}${sealed.slice(middle + 1)}`;
      expect(await backend.ports.logins.saveRotation(Login.restore({ ...stored, sealedPair: altered }), stored.refreshTokenHash)).toBe(true);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
      expect(await authenticateWith(backend, first)).toEqual(alice.principal);
      expect(loginsEnded(backend)).toEqual([]);
    });

    it('keeps the window as long as REFRESH_REUSE_GRACE says', async () => {
      const backend = newBackend({ refreshReuseGraceSeconds: 2 });
      const alice = await registerAlice(backend);
      const first = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      backend.clock.advance(2 * SECOND - 1);
      expect((await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).refreshToken).toBe(
        first.refreshToken,
      );
      backend.clock.advance(1);
      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );
    });

    it('has no window when REFRESH_REUSE_GRACE is 0: the spent token is reuse at once, and no pair is kept', async () => {
      const backend = newBackend({ refreshReuseGraceSeconds: 0 });
      const alice = await registerAlice(backend);
      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });
      expect(must(await backend.ports.logins.findById(alice.principal.loginId))).toMatchObject({
        sealedPair: null,
        sealedPairExpiresAt: null,
      });

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );
    });
  });

  describe('when ten refreshes race with one token, as tabs do', () => {
    it('mints one new pair and hands that same pair to all ten', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const pairs = await Promise.all(
        Array.from({ length: 10 }, () => backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })),
      );

      const [pair] = pairs;
      expect(pair?.refreshToken).not.toBe(alice.tokens.refreshToken);
      for (const each of pairs) expect(each).toEqual(pair);
      // One rotation: the login expects exactly the refresh token all ten were given.
      const login = must(await backend.ports.logins.findById(alice.principal.loginId));
      expect(login.refreshTokenHash).toBe(backend.ports.tokens.digest(must(pair).refreshToken));
      expect(login.revokedAt).toBeNull();
      expect(loginsEnded(backend)).toEqual([]);
    });

    it('keeps the user signed in: the shared pair works, and its refresh token rotates on', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const [pair] = await Promise.all(
        Array.from({ length: 10 }, () => backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })),
      );

      expect(await authenticateWith(backend, must(pair))).toEqual(alice.principal);
      const next = await backend.refreshLogin.execute({ refreshToken: must(pair).refreshToken });
      expect(next.refreshToken).not.toBe(must(pair).refreshToken);
      expect(await authenticateWith(backend, next)).toEqual(alice.principal);
    });

    it('after the window, the same token revokes the login: the shared pair stops working, announced once', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const [pair] = await Promise.all(
        Array.from({ length: 10 }, () => backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })),
      );
      backend.clock.advance(GRACE_MS);

      const late = await Promise.allSettled(
        Array.from({ length: 3 }, () => backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })),
      );

      // The first one in detects the reuse and revokes; the others find the login already ended.
      const codes = late.map((result) => (result.status === 'rejected' ? (result.reason as { code: string }).code : 'fulfilled'));
      expect(codes.sort()).toEqual(['invalid_token', 'invalid_token', 'token_reused']);
      await expect(backend.refreshLogin.execute({ refreshToken: must(pair).refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
      await expect(authenticateWith(backend, must(pair))).rejects.toMatchObject(INVALID_TOKEN);
      expect(loginsEnded(backend)).toEqual([
        { type: 'logins.ended', userId: alice.user.id, loginIds: [alice.principal.loginId] },
      ]);
    });
  });

  describe('what the store keeps for the grace window', () => {
    it('holds the pair sealed: no stored field contains either token, nor any part of one', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const pair = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      const stored = must(await backend.ports.logins.findById(alice.principal.loginId));

      expect(stored.sealedPair).toMatch(/^v1\.[\w-]+$/);
      const kept = JSON.stringify(stored);
      for (const token of [pair.accessToken, pair.refreshToken, alice.tokens.refreshToken]) {
        for (const part of token.split('.')) expect(kept).not.toContain(part);
      }
    });
  });

  describe('when the token is not a live refresh token', () => {
    it('refuses an access token', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
      // Presenting the wrong kind of token is not reuse: the login goes on.
      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).resolves.toBeDefined();
    });

    it('accepts the refresh token one second before its 30 days are up', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      backend.clock.advance(30 * DAY - SECOND);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).resolves.toBeDefined();
    });

    it('refuses the refresh token once its 30 days are up', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      backend.clock.advance(30 * DAY + SECOND);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the refresh token of a login that was logged out', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.logOut.execute(alice.principal);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the refresh token of a disabled user', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await disableUser(backend, alice.user.id);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the refresh token of a deleted user', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: alice.password });

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses a refresh token signed with another secret', async () => {
      const backend = newBackend();
      const elsewhere = newBackend();
      await registerAlice(backend);
      const forged = await registerAlice(elsewhere);

      await expect(backend.refreshLogin.execute({ refreshToken: forged.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it.each(['garbage', 'a.b.c', 'Bearer x'])('refuses the string %j', async (refreshToken) => {
      const backend = newBackend();

      await expect(backend.refreshLogin.execute({ refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
    });
  });

  describe('when the input breaks a rule', () => {
    it.each([
      [{}, 'refresh_token: is required'],
      [{ refreshToken: '' }, 'refresh_token: is required'],
      [{ refreshToken: 42 }, 'refresh_token: must be a string'],
      [{ refreshToken: 'x'.repeat(4097) }, 'refresh_token: is too long'],
      [null, 'input: must be an object'],
      ['token', 'input: must be an object'],
    ])('refuses %j with %j', async (input, detail) => {
      const backend = newBackend();

      await expect(backend.refreshLogin.execute(input as never)).rejects.toMatchObject(validationFailure(detail));
    });
  });
});
