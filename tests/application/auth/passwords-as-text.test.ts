/**
 * Passwords are compared as text (QUALITY.md "Security"): the same password typed in composed or
 * decomposed Unicode form is the same password, and a new password the kept list of common
 * passwords holds is refused, at registration and at a change.
 */
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_DETAIL } from '../../../src/application/auth/common-password.js';
import { ALICE, newBackend, register, validationFailure } from '../../support/auth-fixtures.js';

const COMPOSED = 'P\u00e4sswort1'; // "ä" as one code point (NFC), as most keyboards type it
const DECOMPOSED = 'Pa\u0308sswort1'; // "a" and a combining diaeresis (NFD), as some systems type it

describe('passwords are compared as text', () => {
  it.each([
    ['composed', 'decomposed', COMPOSED, DECOMPOSED],
    ['decomposed', 'composed', DECOMPOSED, COMPOSED],
  ])('when a password set in %s form is typed in %s form, the login succeeds', async (_set, _typed, set, typed) => {
    const backend = newBackend();
    const { user } = await register(backend, { ...ALICE, password: set });

    await expect(backend.logIn.execute({ username: ALICE.username, password: typed })).resolves.toMatchObject({ user: { id: user.id } });
  });

  it('when the new password is typed in another form than the one set, confirming with it as the current password works', async () => {
    const backend = newBackend();
    const alice = await register(backend, { ...ALICE, password: COMPOSED });
    const principal = await backend.authenticate.execute({ accessToken: alice.tokens.accessToken });

    await backend.updateProfile.execute({ ...principal, password: 'Another-Pass9', currentPassword: DECOMPOSED });

    await expect(backend.logIn.execute({ username: ALICE.username, password: 'Another-Pass9' })).resolves.toBeDefined();
  });
});

describe('common passwords', () => {
  it.each(['Password123', 'Qwerty123', 'Welcome1', 'pASSWORD123'])('when %j is chosen at registration, it is refused with a detail that says why', async (password) => {
    const backend = newBackend();

    await expect(register(backend, { ...ALICE, password })).rejects.toMatchObject(validationFailure(COMMON_PASSWORD_DETAIL));
    expect(await backend.ports.users.findByUsername(ALICE.username)).toBeNull();
  });

  it('when a common password is chosen as a new password, it is refused and the old one still works', async () => {
    const backend = newBackend();
    const alice = await register(backend);
    const principal = await backend.authenticate.execute({ accessToken: alice.tokens.accessToken });

    await expect(
      backend.updateProfile.execute({ ...principal, password: 'Welcome1', currentPassword: ALICE.password }),
    ).rejects.toMatchObject(validationFailure(COMMON_PASSWORD_DETAIL));
    await expect(backend.logIn.execute({ username: ALICE.username, password: ALICE.password })).resolves.toBeDefined();
  });

  it.each(['SecurePass123', 'TestPass123'])('when %j, which scores low but is on no list, is chosen, it is accepted', async (password) => {
    const backend = newBackend();

    await expect(register(backend, { ...ALICE, password })).resolves.toBeDefined();
  });
});
