import { describe, expect, it } from 'vitest';
import {
  ALICE,
  INVALID_TOKEN,
  USER_VIEW_KEYS,
  newBackend,
  registerAlice,
  registerBob,
  validationFailure,
} from '../../support/auth-fixtures.js';

describe('GetProfile', () => {
  it('answers the caller\'s own account as registered', async () => {
    const backend = newBackend();
    const alice = await registerAlice(backend);
    await registerBob(backend);

    await expect(backend.getProfile.execute({ userId: alice.user.id })).resolves.toEqual(alice.user);
  });

  it('shows no password and no hash', async () => {
    const backend = newBackend();
    const alice = await registerAlice(backend);

    const profile = await backend.getProfile.execute({ userId: alice.user.id });

    expect(Object.keys(profile).sort()).toEqual(USER_VIEW_KEYS);
    expect(JSON.stringify(profile)).not.toContain(ALICE.password);
    expect(JSON.stringify(profile)).not.toContain('$2');
  });

  it('reflects a change made since registration', async () => {
    const backend = newBackend();
    const alice = await registerAlice(backend);
    await backend.updateProfile.execute({ ...alice.principal, username: 'alice_l' });

    await expect(backend.getProfile.execute({ userId: alice.user.id })).resolves.toMatchObject({ username: 'alice_l' });
  });

  it('refuses an account that no longer exists as an invalid token', async () => {
    const backend = newBackend();
    const alice = await registerAlice(backend);
    await backend.deleteAccount.execute({ userId: alice.user.id, currentPassword: alice.password });

    await expect(backend.getProfile.execute({ userId: alice.user.id })).rejects.toMatchObject(INVALID_TOKEN);
  });

  it.each([
    [{}, 'user_id: is required'],
    [{ userId: '' }, 'user_id: is required'],
    [{ userId: 5 }, 'user_id: must be a string'],
    [null, 'input: must be an object'],
  ])('refuses %j with %j', async (input, detail) => {
    const backend = newBackend();

    await expect(backend.getProfile.execute(input as never)).rejects.toMatchObject(validationFailure(detail));
  });
});
