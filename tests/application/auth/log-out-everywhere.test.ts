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

describe('LogOutEverywhere', () => {
  describe('when the user has several logins', () => {
    it('answers how many logins it ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await logInAgain(backend, alice);
      await logInAgain(backend, alice);

      await expect(backend.logOutEverywhere.execute({ userId: alice.user.id })).resolves.toEqual({ revoked: 3 });
    });

    it('ends every one of them, the caller\'s included', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      await backend.logOutEverywhere.execute({ userId: alice.user.id });

      for (const tokens of [alice.tokens, phone.tokens]) {
        await expect(backend.authenticate.execute({ accessToken: tokens.accessToken })).rejects.toMatchObject(INVALID_TOKEN);
        await expect(backend.refreshLogin.execute({ refreshToken: tokens.refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
      }
    });

    it('publishes one event naming every login it ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      await backend.logOutEverywhere.execute({ userId: alice.user.id });

      const events = loginsEnded(backend);
      expect(events).toHaveLength(1);
      expect(events[0]?.userId).toBe(alice.user.id);
      expect([...(events[0]?.loginIds ?? [])].sort()).toEqual([alice.principal.loginId, phone.principal.loginId].sort());
    });

    it('does not count a login that had already ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);
      const laptop = await logInAgain(backend, alice);
      await backend.logOut.execute(phone.principal);
      backend.events.clear();

      await expect(backend.logOutEverywhere.execute({ userId: alice.user.id })).resolves.toEqual({ revoked: 2 });

      expect([...(loginsEnded(backend)[0]?.loginIds ?? [])].sort()).toEqual(
        [alice.principal.loginId, laptop.principal.loginId].sort(),
      );
    });

    it('does not count an expired login', async () => {
      const backend = newBackend({ refreshTokenTtlSeconds: 3600 });
      const alice = await registerAlice(backend);
      backend.clock.advance(2 * 3600 * 1000);
      await logInAgain(backend, alice);

      await expect(backend.logOutEverywhere.execute({ userId: alice.user.id })).resolves.toEqual({ revoked: 1 });
    });

    it('leaves the logins of other users alone', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);

      await backend.logOutEverywhere.execute({ userId: alice.user.id });

      expect(await backend.authenticate.execute({ accessToken: bob.tokens.accessToken })).toEqual(bob.principal);
    });
  });

  describe('when no login is left', () => {
    it('answers zero and publishes nothing', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.logOutEverywhere.execute({ userId: alice.user.id });
      backend.events.clear();

      await expect(backend.logOutEverywhere.execute({ userId: alice.user.id })).resolves.toEqual({ revoked: 0 });

      expect(loginsEnded(backend)).toEqual([]);
    });
  });

  describe('when the input breaks a rule', () => {
    it.each([
      [{}, 'user_id: is required'],
      [{ userId: '' }, 'user_id: is required'],
      [{ userId: null }, 'user_id: must be a string'],
      ['alice', 'input: must be an object'],
    ])('refuses %j with %j', async (input, detail) => {
      const backend = newBackend();

      await expect(backend.logOutEverywhere.execute(input as never)).rejects.toMatchObject(validationFailure(detail));
    });
  });
});
