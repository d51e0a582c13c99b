import { describe, expect, it } from 'vitest';
import { User } from '../../src/domain/user.entity.js';
import { at, MINUTE } from '../support/builders.js';

const registered = (): User =>
  User.register({ id: 'u-1', username: 'alice', email: 'alice@example.com', passwordHash: 'hash-1', now: at(0) });

describe('User', () => {
  describe('register', () => {
    it('starts an active, unverified account created and updated now', () => {
      expect({ ...registered() }).toEqual({
        id: 'u-1',
        username: 'alice',
        email: 'alice@example.com',
        passwordHash: 'hash-1',
        isActive: true,
        isVerified: false,
        createdAt: at(0),
        updatedAt: at(0),
      });
    });
  });

  describe('restore', () => {
    it('rebuilds an account from stored state without changing it', () => {
      const state = { ...registered(), isActive: false, isVerified: true, updatedAt: at(MINUTE) };

      expect({ ...User.restore(state) }).toEqual(state);
    });
  });

  describe('rename', () => {
    it('takes the new name and moves updatedAt', () => {
      const user = registered();

      user.rename('alice_l', at(MINUTE));

      expect(user).toMatchObject({ username: 'alice_l', updatedAt: at(MINUTE) });
    });

    it('leaves updatedAt alone when the name is the same', () => {
      const user = registered();

      user.rename('alice', at(MINUTE));

      expect(user).toMatchObject({ username: 'alice', updatedAt: at(0) });
    });

    it('takes a change of case as a change', () => {
      const user = registered();

      user.rename('Alice', at(MINUTE));

      expect(user).toMatchObject({ username: 'Alice', updatedAt: at(MINUTE) });
    });
  });

  describe('changeEmail', () => {
    it('takes the new address, marks it unverified and moves updatedAt', () => {
      const user = User.restore({ ...registered(), isVerified: true });

      user.changeEmail('alice.l@example.org', at(MINUTE));

      expect(user).toMatchObject({ email: 'alice.l@example.org', isVerified: false, updatedAt: at(MINUTE) });
    });

    it('keeps a verified address verified when it is given again', () => {
      const user = User.restore({ ...registered(), isVerified: true });

      user.changeEmail('alice@example.com', at(MINUTE));

      expect(user).toMatchObject({ email: 'alice@example.com', isVerified: true, updatedAt: at(0) });
    });
  });

  describe('changePasswordHash', () => {
    it('takes the new hash and moves updatedAt', () => {
      const user = registered();

      user.changePasswordHash('hash-2', at(MINUTE));

      expect(user).toMatchObject({ passwordHash: 'hash-2', updatedAt: at(MINUTE) });
    });
  });

  describe('deactivate', () => {
    it('disables the account and moves updatedAt', () => {
      const user = registered();

      user.deactivate(at(MINUTE));

      expect(user).toMatchObject({ isActive: false, updatedAt: at(MINUTE) });
    });

    it('keeps the first deactivation time when asked again', () => {
      const user = registered();
      user.deactivate(at(MINUTE));

      user.deactivate(at(2 * MINUTE));

      expect(user).toMatchObject({ isActive: false, updatedAt: at(MINUTE) });
    });
  });
});
