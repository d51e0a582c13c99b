import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../../src/domain/domain-error.js';
import {
  ALICE,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  RATE_LIMITED,
  WRONG_CURRENT_PASSWORD,
  logInAgain,
  loginsEnded,
  newBackend,
  outcomesOf,
  register,
  registerAlice,
  registerBob,
  validationFailure,
} from '../../support/auth-fixtures.js';

describe('DeleteAccount', () => {
  describe('when the current password is right', () => {
    it('removes the account', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(
        backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password }),
      ).resolves.toBeUndefined();

      expect(await backend.ports.users.findById(alice.user.id)).toBeNull();
      expect(await backend.ports.users.findByUsername('alice')).toBeNull();
    });

    it('leaves the user unable to log in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
    });

    it('makes every token of every login of the user fail', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      for (const tokens of [alice.tokens, phone.tokens]) {
        await expect(backend.authenticate.execute({ accessToken: tokens.accessToken })).rejects.toMatchObject(INVALID_TOKEN);
        await expect(backend.refreshLogin.execute({ refreshToken: tokens.refreshToken })).rejects.toMatchObject(INVALID_TOKEN);
      }
      expect(await backend.ports.logins.findById(alice.principal.loginId)).toBeNull();
      expect(await backend.ports.logins.findById(phone.principal.loginId)).toBeNull();
    });

    it('removes the user\'s chat sessions and their messages', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const session = await backend.createSession.execute({ userId: alice.user.id, title: 'Tea party' });
      const message = await backend.sendMessage.execute({ userId: alice.user.id, sessionId: session.id, text: 'Why is a raven like a writing desk?' });
      expect(await backend.ports.sessions.findViewOwned(session.id, alice.user.id)).not.toBeNull();

      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      expect(await backend.ports.sessions.findViewOwned(session.id, alice.user.id)).toBeNull();
      expect(await backend.ports.messages.findInSession(message.id, session.id)).toBeNull();
    });

    it('publishes that every live login of the user ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);
      const laptop = await logInAgain(backend, alice);
      await backend.logOut.execute(laptop.principal);
      backend.events.clear();

      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      const events = loginsEnded(backend);
      expect(events).toHaveLength(1);
      expect(events[0]?.userId).toBe(alice.user.id);
      expect([...(events[0]?.loginIds ?? [])].sort()).toEqual([alice.principal.loginId, phone.principal.loginId].sort());
    });

    it('frees the username and the email for a new account', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      const again = await register(backend);

      expect(again.user.id).not.toBe(alice.user.id);
      expect(again.user).toMatchObject({ username: 'alice', email: 'alice@example.com' });
    });

    it('leaves other users, their logins and their sessions alone', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);
      const bobsSession = await backend.createSession.execute({ userId: bob.user.id, title: 'Workshop' });

      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      await expect(backend.getProfile.execute({ userId: bob.user.id })).resolves.toEqual(bob.user);
      expect(await backend.authenticate.execute({ accessToken: bob.tokens.accessToken })).toEqual(bob.principal);
      expect(await backend.ports.sessions.findViewOwned(bobsSession.id, bob.user.id)).toEqual(bobsSession);
    });
  });

  describe('when the current password is wrong or missing', () => {
    it('refuses a wrong password with "invalid_current_password" and keeps the account', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const session = await backend.createSession.execute({ userId: alice.user.id });

      const attempt = backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: 'Wonderland2' });

      await expect(attempt).rejects.toBeInstanceOf(UnauthenticatedError);
      await expect(attempt).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      await expect(backend.getProfile.execute({ userId: alice.user.id })).resolves.toEqual(alice.user);
      expect(await backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).toEqual(alice.principal);
      expect(await backend.ports.sessions.findViewOwned(session.id, alice.user.id)).not.toBeNull();
      expect(loginsEnded(backend)).toEqual([]);
    });

    it('refuses a password over 72 bytes whose first 72 bytes are the password', async () => {
      const backend = newBackend();
      const password = `Aa1${'x'.repeat(69)}`;
      const alice = await register(backend, { password });

      await expect(
        backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: `${password}!` }),
      ).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      expect(await backend.ports.users.findById(alice.user.id)).not.toBeNull();
    });

    it.each([
      [{ userId: 'u' }, ['current_password: is required']],
      [{ userId: 'u', currentPassword: '' }, ['current_password: is required']],
      [{ userId: 'u', currentPassword: 7 }, ['current_password: must be a string']],
      [{ currentPassword: 'x' }, ['user_id: is required']],
      [null, ['input: must be an object']],
    ])('refuses %j with %j', async (input, details) => {
      const backend = newBackend();

      await expect(backend.deleteAccount.execute(input as never)).rejects.toMatchObject(validationFailure(...details));
    });
  });

  describe('when current passwords are guessed', () => {
    const WRONG_PASSWORD = 'Wrong-password-1';

    it('checks no more than five of twenty wrong current passwords sent at once; the rest are rate limited', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const outcomes = await outcomesOf(
        Array.from({ length: 20 }, () =>
          backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: WRONG_PASSWORD }),
        ),
      );

      expect(Object.keys(outcomes).sort()).toEqual(['invalid_current_password', 'rate_limited']);
      expect(outcomes.invalid_current_password).toBeLessThanOrEqual(5);
      expect((outcomes.invalid_current_password ?? 0) + (outcomes.rate_limited ?? 0)).toBe(20);
      await expect(
        backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password }),
      ).rejects.toMatchObject(RATE_LIMITED);
      expect(await backend.ports.users.findById(alice.user.id)).not.toBeNull();
    });

    it('after four wrong current passwords, takes the right one and removes the account', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await expect(
          backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: WRONG_PASSWORD }),
        ).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      }

      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      expect(await backend.ports.users.findById(alice.user.id)).toBeNull();
    });

    it('starts the count over when the account logs in', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const guess = () => backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: WRONG_PASSWORD });
      for (let attempt = 0; attempt < 4; attempt += 1) await expect(guess()).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);

      await backend.logIn.execute({ username: 'alice', password: ALICE.password });

      // Four more wrong ones are still checked: without the reset the fifth would have locked it.
      for (let attempt = 0; attempt < 4; attempt += 1) await expect(guess()).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });
      expect(await backend.ports.users.findById(alice.user.id)).toBeNull();
    });

    it('shares the account\'s count with logins', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(
          backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: WRONG_PASSWORD }),
        ).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      }

      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
    });

    it('counts wrong current passwords against the client address when it is given', async () => {
      const backend = newBackend({ loginAttempts: { perAddress: 2 } });
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);
      const client = { address: '198.51.100.30' };
      for (let attempt = 0; attempt < 2; attempt += 1) {
        await expect(
          backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: WRONG_PASSWORD, client }),
        ).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      }

      await expect(
        backend.deleteAccount.execute({ userId: bob.user.id, currentPassword: bob.password, client }),
      ).rejects.toMatchObject(RATE_LIMITED);
      expect(await backend.ports.users.findById(bob.user.id)).not.toBeNull();
    });
  });

  describe('when the account no longer exists', () => {
    it('refuses as an invalid token', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password });

      await expect(
        backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: ALICE.password }),
      ).rejects.toMatchObject(INVALID_TOKEN);
    });
  });
});
