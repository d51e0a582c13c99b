import { describe, expect, it } from 'vitest';
import { Login } from '../../src/domain/login.entity.js';
import { at, DAY, MINUTE } from '../support/builders.js';

const LIFETIME = 30 * DAY;

const opened = (): Login =>
  Login.open({ id: 'l-1', userId: 'u-1', refreshTokenHash: 'hash-1', now: at(0), lifetimeMs: LIFETIME });

describe('Login', () => {
  describe('open', () => {
    it('starts a live login that expires one lifetime from now', () => {
      expect({ ...opened() }).toEqual({
        id: 'l-1',
        userId: 'u-1',
        refreshTokenHash: 'hash-1',
        createdAt: at(0),
        lastUsedAt: at(0),
        expiresAt: at(LIFETIME),
        revokedAt: null,
        userAgent: null,
        address: null,
      });
    });

    it('keeps where the login came from', () => {
      const login = Login.open({
        id: 'l-1',
        userId: 'u-1',
        refreshTokenHash: 'hash-1',
        now: at(0),
        lifetimeMs: LIFETIME,
        userAgent: 'agent/1',
        address: '203.0.113.9',
      });

      expect(login).toMatchObject({ userAgent: 'agent/1', address: '203.0.113.9' });
    });
  });

  describe('isLive', () => {
    it('is live until the instant before it expires', () => {
      expect(opened().isLive(at(LIFETIME - 1))).toBe(true);
    });

    it('is not live at the instant it expires, nor after', () => {
      const login = opened();

      expect(login.isLive(at(LIFETIME))).toBe(false);
      expect(login.isLive(at(LIFETIME + 1))).toBe(false);
    });

    it('is not live once revoked', () => {
      const login = opened();
      login.revoke(at(MINUTE));

      expect(login.isLive(at(MINUTE))).toBe(false);
    });
  });

  describe('rotate', () => {
    it('answers "rotated" for the current token, expects the next one and extends the login', () => {
      const login = opened();

      const outcome = login.rotate('hash-1', 'hash-2', at(10 * DAY), LIFETIME);

      expect(outcome).toBe('rotated');
      expect(login).toMatchObject({
        refreshTokenHash: 'hash-2',
        lastUsedAt: at(10 * DAY),
        expiresAt: at(10 * DAY + LIFETIME),
        revokedAt: null,
        createdAt: at(0),
      });
    });

    it('answers "reused" for a spent token and revokes the login', () => {
      const login = opened();
      login.rotate('hash-1', 'hash-2', at(MINUTE), LIFETIME);

      const outcome = login.rotate('hash-1', 'hash-3', at(2 * MINUTE), LIFETIME);

      expect(outcome).toBe('reused');
      expect(login).toMatchObject({ refreshTokenHash: 'hash-2', revokedAt: at(2 * MINUTE) });
      expect(login.isLive(at(2 * MINUTE))).toBe(false);
    });

    it('answers "reused" for a token it never issued', () => {
      const login = opened();

      expect(login.rotate('forged', 'hash-2', at(MINUTE), LIFETIME)).toBe('reused');
      expect(login.revokedAt).toEqual(at(MINUTE));
    });

    it('answers "ended" for a revoked login, even with the current token, and changes nothing', () => {
      const login = opened();
      login.revoke(at(MINUTE));

      const outcome = login.rotate('hash-1', 'hash-2', at(2 * MINUTE), LIFETIME);

      expect(outcome).toBe('ended');
      expect(login).toMatchObject({ refreshTokenHash: 'hash-1', revokedAt: at(MINUTE), lastUsedAt: at(0) });
    });

    it('answers "ended" for an expired login, even with the current token, and does not revive it', () => {
      const login = opened();

      const outcome = login.rotate('hash-1', 'hash-2', at(LIFETIME), LIFETIME);

      expect(outcome).toBe('ended');
      expect(login).toMatchObject({ refreshTokenHash: 'hash-1', expiresAt: at(LIFETIME), revokedAt: null });
    });

    it('answers "ended", not "reused", for a spent token of an expired login', () => {
      const login = opened();
      login.rotate('hash-1', 'hash-2', at(MINUTE), LIFETIME);

      expect(login.rotate('hash-1', 'hash-3', at(MINUTE + LIFETIME), LIFETIME)).toBe('ended');
      expect(login.revokedAt).toBeNull();
    });
  });

  describe('revoke', () => {
    it('ends the login at the given time', () => {
      const login = opened();

      login.revoke(at(MINUTE));

      expect(login.revokedAt).toEqual(at(MINUTE));
    });

    it('keeps the first revocation time when asked again', () => {
      const login = opened();
      login.revoke(at(MINUTE));

      login.revoke(at(2 * MINUTE));

      expect(login.revokedAt).toEqual(at(MINUTE));
    });
  });
});
