import { describe, expect, it } from 'vitest';
import {
  INVALID_TOKEN,
  logInAgain,
  loginsEnded,
  newBackend,
  registerAlice,
  registerBob,
  validationFailure,
} from '../../support/auth-fixtures.js';

describe('LogOut', () => {
  describe('when the caller logs out', () => {
    it('ends that login at once: its access token is refused', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.logOut.execute(alice.principal);

      await expect(backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('ends that login at once: its refresh token is refused', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.logOut.execute(alice.principal);

      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it('refuses the access tokens issued by earlier refreshes of that login too', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const rotated = await backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken });

      await backend.logOut.execute(alice.principal);

      await expect(backend.authenticate.execute({ accessToken: rotated.accessToken })).rejects.toMatchObject(INVALID_TOKEN);
      await expect(backend.refreshLogin.execute({ refreshToken: rotated.refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
    });

    it('marks the login revoked at the current time', async () => {
      const backend = newBackend({ now: '2026-05-05T10:00:00.000Z' });
      const alice = await registerAlice(backend);
      backend.clock.advance(60_000);

      await backend.logOut.execute(alice.principal);

      expect((await backend.ports.logins.findById(alice.principal.loginId))?.revokedAt).toEqual(
        new Date('2026-05-05T10:01:00.000Z'),
      );
    });

    it('leaves the other logins of the user signed in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      await backend.logOut.execute(alice.principal);

      expect(await backend.authenticate.execute({ accessToken: phone.tokens.accessToken })).toEqual(phone.principal);
      await expect(backend.refreshLogin.execute({ refreshToken: phone.tokens.refreshToken })).resolves.toBeDefined();
    });

    it('publishes that this one login ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await logInAgain(backend, alice);

      await backend.logOut.execute(alice.principal);

      expect(loginsEnded(backend)).toEqual([
        { type: 'logins.ended', userId: alice.user.id, loginIds: [alice.principal.loginId] },
      ]);
    });

    it('does nothing, and publishes nothing, when the login has already ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.logOut.execute(alice.principal);
      const revokedAt = (await backend.ports.logins.findById(alice.principal.loginId))?.revokedAt;
      backend.clock.advance(60_000);

      await expect(backend.logOut.execute(alice.principal)).resolves.toBeUndefined();

      expect(loginsEnded(backend)).toHaveLength(1);
      expect((await backend.ports.logins.findById(alice.principal.loginId))?.revokedAt).toEqual(revokedAt);
    });
  });

  describe('when the login named is not the caller\'s', () => {
    it('leaves another user\'s login alone', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);

      await backend.logOut.execute({ userId: alice.user.id, loginId: bob.principal.loginId });

      expect(await backend.authenticate.execute({ accessToken: bob.tokens.accessToken })).toEqual(bob.principal);
      expect(loginsEnded(backend)).toEqual([]);
    });

    it('does nothing for a login that does not exist', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(backend.logOut.execute({ userId: alice.user.id, loginId: 'no-such-login' })).resolves.toBeUndefined();

      expect(await backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).toEqual(alice.principal);
    });
  });

  describe('when the input breaks a rule', () => {
    it.each([
      [{ userId: 'u' }, ['login_id: is required']],
      [{ loginId: 'l' }, ['user_id: is required']],
      [{ userId: '', loginId: '' }, ['user_id: is required', 'login_id: is required']],
      [{ userId: 1, loginId: 'l' }, ['user_id: must be a string']],
      [null, ['input: must be an object']],
    ])('refuses %j with %j', async (input, details) => {
      const backend = newBackend();

      await expect(backend.logOut.execute(input as never)).rejects.toMatchObject(validationFailure(...details));
    });
  });
});
