import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../../src/domain/domain-error.js';
import { MINUTE, SECOND } from '../../support/builders.js';
import {
  INVALID_TOKEN,
  disableUser,
  logInAgain,
  newBackend,
  registerAlice,
  registerBob,
} from '../../support/auth-fixtures.js';

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Authenticate', () => {
  describe('when the access token is valid and its login live', () => {
    it('answers who the caller is and through which login', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const principal = await backend.authenticate.execute({ accessToken: alice.tokens.accessToken });

      expect(principal).toEqual({ userId: alice.user.id, loginId: expect.any(String) });
      expect(await backend.ports.logins.findById(principal.loginId)).toMatchObject({ userId: alice.user.id });
    });

    it('tells two logins of one user apart', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      expect(phone.principal.userId).toBe(alice.principal.userId);
      expect(phone.principal.loginId).not.toBe(alice.principal.loginId);
    });

    it('accepts the token one second before its 15 minutes are up', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      backend.clock.advance(15 * MINUTE - SECOND);

      await expect(backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).resolves.toEqual(alice.principal);
    });
  });

  describe('when the access token must be refused', () => {
    it('refuses it once its 15 minutes are up', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      backend.clock.advance(15 * MINUTE);

      const attempt = backend.authenticate.execute({ accessToken: alice.tokens.accessToken });
      await expect(attempt).rejects.toBeInstanceOf(UnauthenticatedError);
      await expect(attempt).rejects.toMatchObject(INVALID_TOKEN);
    });

    it('refuses a refresh token presented as an access token', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(backend.authenticate.execute({ accessToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the token of a login that was logged out', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.logOut.execute(alice.principal);

      await expect(backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the token of a user who was disabled after signing in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await disableUser(backend, alice.user.id);

      await expect(backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the token of a user who was deleted', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: alice.password });

      await expect(backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses a token signed with another secret', async () => {
      const backend = newBackend();
      const elsewhere = newBackend();
      await registerAlice(backend);
      const forged = await registerAlice(elsewhere);

      await expect(backend.authenticate.execute({ accessToken: forged.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses a token whose claims were swapped for another user\'s under the same signature', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);
      const [header, , signature] = alice.tokens.accessToken.split('.');
      const [, bobsClaims] = bob.tokens.accessToken.split('.');

      await expect(
        backend.authenticate.execute({ accessToken: `${header}.${bobsClaims}.${signature}` }),
      ).rejects.toMatchObject(INVALID_TOKEN);
    });

    it('refuses an unsigned token ("alg": "none") carrying real claims', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const [, claims] = alice.tokens.accessToken.split('.');

      await expect(
        backend.authenticate.execute({ accessToken: `${base64url({ alg: 'none', typ: 'JWT' })}.${claims}.` }),
      ).rejects.toMatchObject(INVALID_TOKEN);
    });

    it.each([
      ['a garbage string', 'garbage'],
      ['three dots of nothing', '..'],
      ['the empty string', ''],
      ['a string over 4096 characters', 'x'.repeat(4097)],
    ])('refuses %s', async (_case, accessToken) => {
      const backend = newBackend();
      await registerAlice(backend);

      await expect(backend.authenticate.execute({ accessToken })).rejects.toMatchObject(INVALID_TOKEN);
    });

    it.each([
      ['no token at all', {}],
      ['a token that is not a string', { accessToken: 42 }],
      ['no input', undefined],
      ['null input', null],
    ])('refuses %s as an invalid token, not as a validation failure', async (_case, input) => {
      const backend = newBackend();

      await expect(backend.authenticate.execute(input as never)).rejects.toMatchObject(INVALID_TOKEN);
    });
  });
});
