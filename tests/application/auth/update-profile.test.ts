import { describe, expect, it } from 'vitest';
import { ConflictError, UnauthenticatedError, ValidationError } from '../../../src/domain/domain-error.js';
import {
  ALICE,
  EMAIL_TAKEN,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  RATE_LIMITED,
  USER_VIEW_KEYS,
  USERNAME_TAKEN,
  WRONG_CURRENT_PASSWORD,
  logInAgain,
  loginsEnded,
  markVerified,
  newBackend,
  outcomesOf,
  passwordOfBytes,
  registerAlice,
  registerBob,
  validationFailure,
} from '../../support/auth-fixtures.js';

const NEW_PASSWORD = 'Looking-Glass2';
const WRONG_PASSWORD = 'Wrong-password-1';

describe('UpdateProfile', () => {
  describe('when the username changes', () => {
    it('renames the account and moves its updatedAt to now', async () => {
      const backend = newBackend({ now: '2026-01-01T00:00:00.000Z' });
      const alice = await registerAlice(backend);
      backend.clock.advance(60_000);

      const user = await backend.updateProfile.execute({ ...alice.principal, username: 'alice_l' });

      expect(user).toEqual({
        ...alice.user,
        username: 'alice_l',
        updatedAt: new Date('2026-01-01T00:01:00.000Z'),
      });
      expect(Object.keys(user).sort()).toEqual(USER_VIEW_KEYS);
      expect(await backend.ports.users.findById(alice.user.id)).toMatchObject({ username: 'alice_l' });
    });

    it('trims the new username', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const user = await backend.updateProfile.execute({ ...alice.principal, username: '  alice_l \n' });

      expect(user.username).toBe('alice_l');
    });

    it('lets the account log in by the new name and no longer by the old one', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.updateProfile.execute({ ...alice.principal, username: 'alice_l' });

      await expect(backend.logIn.execute({ username: 'alice_l', password: ALICE.password })).resolves.toBeDefined();
      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
    });

    it('allows a change of case only to the account\'s own name', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const user = await backend.updateProfile.execute({ ...alice.principal, username: 'ALICE' });

      expect(user.username).toBe('ALICE');
    });

    it('refuses a name another account holds in any case, and changes nothing', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await registerBob(backend);

      const attempt = backend.updateProfile.execute({ ...alice.principal, username: 'BoB', email: 'new@example.com' });

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toMatchObject(USERNAME_TAKEN);
      await expect(backend.getProfile.execute({ userId: alice.user.id })).resolves.toEqual(alice.user);
    });

    it('lets exactly one of two users racing for one new name have it', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);

      const results = await Promise.allSettled([
        backend.updateProfile.execute({ ...alice.principal, username: 'hatter' }),
        backend.updateProfile.execute({ ...bob.principal, username: 'HATTER' }),
      ]);

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
      expect(refused).toMatchObject(USERNAME_TAKEN);
      expect(await backend.ports.users.findByUsername('hatter')).not.toBeNull();
    });

    it.each([
      ['ab', 'username: must be 3-80 characters'],
      ['a'.repeat(81), 'username: must be 3-80 characters'],
      ['alice!', 'username: may contain only letters, digits and underscores'],
      ['', 'username: must be 3-80 characters'],
    ])('refuses the username %j with %j', async (username, detail) => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(backend.updateProfile.execute({ ...alice.principal, username })).rejects.toMatchObject(
        validationFailure(detail),
      );
    });
  });

  describe('when the email changes', () => {
    it('stores the new address in lower case and marks it unverified', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await markVerified(backend, alice.user.id);

      const user = await backend.updateProfile.execute({ ...alice.principal, email: ' Alice.L@Example.org ' });

      expect(user).toMatchObject({ email: 'alice.l@example.org', isVerified: false });
      expect(await backend.ports.users.findById(alice.user.id)).toMatchObject({
        email: 'alice.l@example.org',
        isVerified: false,
      });
    });

    it('keeps the account verified when the "new" address is the same one in another case', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await markVerified(backend, alice.user.id);

      const user = await backend.updateProfile.execute({ ...alice.principal, email: 'ALICE@example.com' });

      expect(user).toMatchObject({ email: 'alice@example.com', isVerified: true, updatedAt: alice.user.updatedAt });
    });

    it('lets the account log in by the new address', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.updateProfile.execute({ ...alice.principal, email: 'alice.l@example.org' });

      await expect(
        backend.logIn.execute({ username: 'alice.l@example.org', password: ALICE.password }),
      ).resolves.toMatchObject({ user: { id: alice.user.id } });
    });

    it('refuses an address another account holds in any case, and changes nothing', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await registerBob(backend);

      const attempt = backend.updateProfile.execute({ ...alice.principal, email: 'BOB@example.com' });

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toMatchObject(EMAIL_TAKEN);
      await expect(backend.getProfile.execute({ userId: alice.user.id })).resolves.toEqual(alice.user);
    });

    it.each([
      ['alice', 'email: must be a valid email address'],
      [`${'a'.repeat(109)}@example.com`, 'email: must be at most 120 characters'],
    ])('refuses the email %j with %j', async (email, detail) => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(backend.updateProfile.execute({ ...alice.principal, email })).rejects.toMatchObject(
        validationFailure(detail),
      );
    });
  });

  describe('when the password changes', () => {
    it('requires the current password, refusing with "current_password: is required to change the password"', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const attempt = backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD });

      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject(
        validationFailure('current_password: is required to change the password'),
      );
      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).resolves.toBeDefined();
    });

    it('refuses a wrong current password with "invalid_current_password" and changes nothing', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      const attempt = backend.updateProfile.execute({
        ...alice.principal,
        password: NEW_PASSWORD,
        currentPassword: 'Wonderland2',
        username: 'alice_l',
      });

      await expect(attempt).rejects.toBeInstanceOf(UnauthenticatedError);
      await expect(attempt).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      await expect(backend.getProfile.execute({ userId: alice.user.id })).resolves.toEqual(alice.user);
      await expect(backend.logIn.execute({ username: 'alice', password: NEW_PASSWORD })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
      expect(await backend.authenticate.execute({ accessToken: phone.tokens.accessToken })).toEqual(phone.principal);
    });

    it('lets the new password log in and no longer the old one', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: ALICE.password });

      await expect(backend.logIn.execute({ username: 'alice', password: NEW_PASSWORD })).resolves.toMatchObject({
        user: { id: alice.user.id },
      });
      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        INVALID_CREDENTIALS,
      );
    });

    it('stores a bcrypt hash of the new password, not the password', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: ALICE.password });

      const stored = await backend.ports.users.findById(alice.user.id);
      expect(stored?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
      expect(stored?.passwordHash).not.toContain(NEW_PASSWORD);
      expect(await backend.ports.hasher.verify(NEW_PASSWORD, stored?.passwordHash ?? '')).toBe(true);
    });

    it('ends every other login of the user but keeps the caller\'s', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);
      const laptop = await logInAgain(backend, alice);

      await backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: ALICE.password });

      expect(await backend.authenticate.execute({ accessToken: alice.tokens.accessToken })).toEqual(alice.principal);
      await expect(backend.refreshLogin.execute({ refreshToken: alice.tokens.refreshToken })).resolves.toBeDefined();
      for (const other of [phone, laptop]) {
        await expect(backend.authenticate.execute({ accessToken: other.tokens.accessToken })).rejects.toMatchObject(
          INVALID_TOKEN,
        );
        await expect(backend.refreshLogin.execute({ refreshToken: other.tokens.refreshToken })).rejects.toMatchObject(
          INVALID_TOKEN,
        );
      }
    });

    it('publishes that the other logins ended', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);
      const laptop = await logInAgain(backend, alice);

      await backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: ALICE.password });

      const events = loginsEnded(backend);
      expect(events).toHaveLength(1);
      expect(events[0]?.userId).toBe(alice.user.id);
      expect([...(events[0]?.loginIds ?? [])].sort()).toEqual([phone.principal.loginId, laptop.principal.loginId].sort());
    });

    it('publishes nothing when the caller\'s is the only login', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: ALICE.password });

      expect(loginsEnded(backend)).toEqual([]);
    });

    it('ends no login when only the username or email changes', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const phone = await logInAgain(backend, alice);

      await backend.updateProfile.execute({ ...alice.principal, username: 'alice_l', email: 'alice.l@example.org' });

      expect(await backend.authenticate.execute({ accessToken: phone.tokens.accessToken })).toEqual(phone.principal);
      expect(loginsEnded(backend)).toEqual([]);
    });

    it.each([
      ['Short1A', ['password: must be at least 8 characters']],
      ['nouppercase1', ['password: must contain an uppercase letter']],
      ['NOLOWERCASE1', ['password: must contain a lowercase letter']],
      ['NoDigitsHere', ['password: must contain a digit']],
      [`Aa1${'é'.repeat(35)}`, ['password: must be at most 72 bytes in UTF-8']],
      [passwordOfBytes(73), ['password: must be at most 72 bytes in UTF-8']],
    ])('holds the new password %j to the registration rules', async (password, details) => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(
        backend.updateProfile.execute({ ...alice.principal, password, currentPassword: ALICE.password }),
      ).rejects.toMatchObject(validationFailure(...details));
    });

    it('refuses an empty current password as missing', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      await expect(
        backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: '' }),
      ).rejects.toMatchObject(validationFailure('current_password: is required'));
    });
  });

  describe('when current passwords are guessed', () => {
    it('checks no more than five of twenty wrong current passwords sent at once; the rest are rate limited', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);

      const outcomes = await outcomesOf(
        Array.from({ length: 20 }, () =>
          backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: WRONG_PASSWORD }),
        ),
      );

      expect(Object.keys(outcomes).sort()).toEqual(['invalid_current_password', 'rate_limited']);
      expect(outcomes.invalid_current_password).toBeLessThanOrEqual(5);
      expect((outcomes.invalid_current_password ?? 0) + (outcomes.rate_limited ?? 0)).toBe(20);
      await expect(
        backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: ALICE.password }),
      ).rejects.toMatchObject(RATE_LIMITED);
      const stored = await backend.ports.users.findById(alice.user.id);
      expect(await backend.ports.hasher.verify(ALICE.password, stored?.passwordHash ?? '')).toBe(true);
    });

    it('when the account is renamed (which needs no password) after five wrong guesses, the count goes on', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(
          backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: WRONG_PASSWORD }),
        ).rejects.toMatchObject({ code: 'invalid_current_password' });
      }

      await backend.updateProfile.execute({ ...alice.principal, username: 'renamed_alice' });

      await expect(
        backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: WRONG_PASSWORD }),
      ).rejects.toMatchObject(RATE_LIMITED);
    });

    it('after four wrong current passwords, takes the right one and starts the count over', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const change = (currentPassword: string, password: string) =>
        backend.updateProfile.execute({ ...alice.principal, password, currentPassword });
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await expect(change(WRONG_PASSWORD, NEW_PASSWORD)).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      }

      await expect(change(ALICE.password, NEW_PASSWORD)).resolves.toMatchObject({ id: alice.user.id });

      // Five more wrong ones are checked before the lock, not one.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(change(WRONG_PASSWORD, ALICE.password)).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      }
      await expect(change(NEW_PASSWORD, ALICE.password)).rejects.toMatchObject(RATE_LIMITED);
    });

    it('shares the account\'s count with logins, both ways', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(
          backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: WRONG_PASSWORD }),
        ).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
        await expect(backend.logIn.execute({ username: 'bob', password: WRONG_PASSWORD })).rejects.toMatchObject(
          INVALID_CREDENTIALS,
        );
      }

      await expect(backend.logIn.execute({ username: 'alice', password: ALICE.password })).rejects.toMatchObject(
        RATE_LIMITED,
      );
      await expect(
        backend.updateProfile.execute({ ...bob.principal, password: NEW_PASSWORD, currentPassword: bob.password }),
      ).rejects.toMatchObject(RATE_LIMITED);
    });

    it('counts wrong current passwords against the client address when it is given', async () => {
      const backend = newBackend({ loginAttempts: { perAddress: 2 } });
      const alice = await registerAlice(backend);
      const bob = await registerBob(backend);
      const client = { address: '198.51.100.20' };
      for (let attempt = 0; attempt < 2; attempt += 1) {
        await expect(
          backend.updateProfile.execute({ ...alice.principal, password: NEW_PASSWORD, currentPassword: WRONG_PASSWORD, client }),
        ).rejects.toMatchObject(WRONG_CURRENT_PASSWORD);
      }

      await expect(backend.logIn.execute({ username: 'bob', password: bob.password, client })).rejects.toMatchObject(
        RATE_LIMITED,
      );
      await expect(
        backend.logIn.execute({ username: 'bob', password: bob.password, client: { address: '198.51.100.21' } }),
      ).resolves.toBeDefined();
    });

    it('does not hold changes that need no password to the limit', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await expect(backend.logIn.execute({ username: 'alice', password: WRONG_PASSWORD })).rejects.toMatchObject(
          INVALID_CREDENTIALS,
        );
      }

      await expect(
        backend.updateProfile.execute({ ...alice.principal, email: 'alice.l@example.org' }),
      ).resolves.toMatchObject({ email: 'alice.l@example.org' });
    });
  });

  describe('when nothing is asked to change', () => {
    it('answers the profile as it was and leaves updatedAt alone', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      backend.clock.advance(60_000);

      await expect(backend.updateProfile.execute(alice.principal)).resolves.toEqual(alice.user);
    });
  });

  describe('when the input carries keys it does not take', () => {
    it('ignores id, isActive, isVerified, passwordHash, is_active and timestamps', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      const storedBefore = await backend.ports.users.findById(alice.user.id);
      const input = {
        ...alice.principal,
        id: 'chosen-id',
        isActive: false,
        is_active: false,
        isVerified: true,
        is_verified: true,
        passwordHash: 'not-a-hash',
        password_hash: 'not-a-hash',
        createdAt: new Date('2000-01-01T00:00:00.000Z'),
        updatedAt: new Date('2000-01-01T00:00:00.000Z'),
      };

      const user = await backend.updateProfile.execute(input);

      expect(user).toEqual(alice.user);
      expect(await backend.ports.users.findById(alice.user.id)).toEqual(storedBefore);
      expect(await backend.ports.users.findById('chosen-id')).toBeNull();
    });
  });

  describe('when the account or the input is not usable', () => {
    it('refuses an account that no longer exists as an invalid token', async () => {
      const backend = newBackend();
      const alice = await registerAlice(backend);
      await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: alice.password });

      await expect(backend.updateProfile.execute({ ...alice.principal, username: 'ghost' })).rejects.toMatchObject(
        INVALID_TOKEN,
      );
    });

    it.each([
      [{ loginId: 'l' }, ['user_id: is required']],
      [{ userId: 'u' }, ['login_id: is required']],
      [{ userId: 'u', loginId: 'l', username: 42 }, ['username: must be a string']],
      [null, ['input: must be an object']],
    ])('refuses %j with %j', async (input, details) => {
      const backend = newBackend();

      await expect(backend.updateProfile.execute(input as never)).rejects.toMatchObject(validationFailure(...details));
    });
  });
});
