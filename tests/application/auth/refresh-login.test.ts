import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../../src/domain/domain-error.js';
import { DAY, SECOND } from '../../support/builders.js';
import {
  INVALID_TOKEN,
  TOKEN_REUSED,
  disableUser,
  logInAgain,
  loginsEnded,
  newBackend,
  registerAlice,
  validationFailure,
} from '../../support/auth-fixtures.js';

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

  describe('when a spent refresh token is presented', () => {
    it('refuses it with "token_reused"', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      const replay = backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      await expect(replay).rejects.toBeInstanceOf(UnauthenticatedError);
      await expect(replay).rejects.toMatchObject(TOKEN_REUSED);
    });

    it('revokes the whole login: the newest refresh token and every access token of it stop working', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const rotated = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

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

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        TOKEN_REUSED,
      );

      expect(await backend.authenticate.execute({ accessToken: laptop.tokens.accessToken })).toEqual(laptop.principal);
      await expect(backend.refreshLogin.execute({ refreshToken: laptop.tokens.refreshToken })).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });
  });

  describe('when ten refreshes race with one token', () => {
    it('lets exactly one of them succeed', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })),
      );

      const fulfilled = results.filter((result) => result.status === 'fulfilled');
      const rejected = results.filter((result) => result.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(9);
      for (const { reason } of rejected) {
        expect(reason).toBeInstanceOf(UnauthenticatedError);
        expect(reason).toMatchObject({ kind: 'unauthenticated', code: expect.stringMatching(/^(token_reused|invalid_token)$/) });
      }
    });
  });

  describe('when ten refreshes race with one token, and the race is over', () => {
    it('has treated the losers as reuse: the login, the winner\'s new tokens included, has ended, announced once', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })),
      );

      const [winner] = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(winner).toBeDefined();
      await expect(backend.refreshLogin.execute({ refreshToken: winner?.refreshToken ?? '' })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
      await expect(backend.authenticate.execute({ accessToken: winner?.accessToken ?? '' })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
      // Only the loser whose revocation was stored announces it: one event, not one per loser.
      expect(loginsEnded(backend)).toEqual([
        { type: 'logins.ended', userId: alice.user.id, loginIds: [alice.principal.loginId] },
      ]);
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
