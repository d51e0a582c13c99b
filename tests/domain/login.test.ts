import { describe, expect, it } from 'vitest';
import { Login } from '../../src/domain/login.entity.js';
import { at, DAY, MINUTE, nextToken as next, SECOND } from '../support/builders.js';

const LIFETIME = 30 * DAY;
const STRICT = { lifetimeMs: LIFETIME, graceMs: 0 };
const GRACE = 10 * SECOND;
const WITH_GRACE = { lifetimeMs: LIFETIME, graceMs: GRACE };

const opened = (): Login =>
  Login.open({ id: 'l-1', userId: 'u-1', refreshTokenHash: 'hash-1', now: at(0), lifetimeMs: LIFETIME });

describe('Login', () => {
  describe('open', () => {
    it('starts a live login that expires one lifetime from now', () => {
      expect({ ...opened() }).toEqual({
        id: 'l-1',
        userId: 'u-1',
        refreshTokenHash: 'hash-1',
        previousRefreshTokenHash: null,
        sealedPair: null,
        sealedPairExpiresAt: null,
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

      const outcome = login.rotate('hash-1', next('hash-2'), at(10 * DAY), STRICT);

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
      login.rotate('hash-1', next('hash-2'), at(MINUTE), STRICT);

      const outcome = login.rotate('hash-1', next('hash-3'), at(2 * MINUTE), STRICT);

      expect(outcome).toBe('reused');
      expect(login).toMatchObject({ refreshTokenHash: 'hash-2', revokedAt: at(2 * MINUTE) });
      expect(login.isLive(at(2 * MINUTE))).toBe(false);
    });

    it('answers "reused" for a token it never issued', () => {
      const login = opened();

      expect(login.rotate('forged', next('hash-2'), at(MINUTE), STRICT)).toBe('reused');
      expect(login.revokedAt).toEqual(at(MINUTE));
    });

    it('answers "ended" for a revoked login, even with the current token, and changes nothing', () => {
      const login = opened();
      login.revoke(at(MINUTE));

      const outcome = login.rotate('hash-1', next('hash-2'), at(2 * MINUTE), STRICT);

      expect(outcome).toBe('ended');
      expect(login).toMatchObject({ refreshTokenHash: 'hash-1', revokedAt: at(MINUTE), lastUsedAt: at(0) });
    });

    it('answers "ended" for an expired login, even with the current token, and does not revive it', () => {
      const login = opened();

      const outcome = login.rotate('hash-1', next('hash-2'), at(LIFETIME), STRICT);

      expect(outcome).toBe('ended');
      expect(login).toMatchObject({ refreshTokenHash: 'hash-1', expiresAt: at(LIFETIME), revokedAt: null });
    });

    it('answers "ended", not "reused", for a spent token of an expired login', () => {
      const login = opened();
      login.rotate('hash-1', next('hash-2'), at(MINUTE), STRICT);

      expect(login.rotate('hash-1', next('hash-3'), at(MINUTE + LIFETIME), STRICT)).toBe('ended');
      expect(login.revokedAt).toBeNull();
    });
  });

  describe('the grace window', () => {
    /** A login whose token hash-1 was spent at `at(MINUTE)` for hash-2, its pair sealed as `sealed-2`. */
    const rotatedWithGrace = (): Login => {
      const login = opened();
      expect(login.rotate('hash-1', next('hash-2', 'sealed-2'), at(MINUTE), WITH_GRACE)).toBe('rotated');
      return login;
    };

    it('keeps the spent token, the sealed pair and the instant the window closes', () => {
      expect(rotatedWithGrace()).toMatchObject({
        refreshTokenHash: 'hash-2',
        previousRefreshTokenHash: 'hash-1',
        sealedPair: 'sealed-2',
        sealedPairExpiresAt: at(MINUTE + GRACE),
      });
    });

    it('recognizes the spent token as a replay up to the millisecond before the window closes, and changes nothing', () => {
      const login = rotatedWithGrace();
      const before = { ...login };

      expect(login.recognize('hash-1', at(MINUTE))).toBe('replay');
      expect(login.recognize('hash-1', at(MINUTE + GRACE - 1))).toBe('replay');
      expect(login.rotate('hash-1', next('hash-3', 'sealed-3'), at(MINUTE + GRACE - 1), WITH_GRACE)).toBe('replay');
      expect(login.sealedPairAt(at(MINUTE + GRACE - 1))).toBe('sealed-2');
      expect({ ...login }).toEqual(before);
    });

    it('recognizes the spent token as reuse from the instant the window closes, and no longer hands out the pair', () => {
      const login = rotatedWithGrace();

      expect(login.recognize('hash-1', at(MINUTE + GRACE))).toBe('reused');
      expect(login.sealedPairAt(at(MINUTE + GRACE))).toBeNull();
      expect(login.rotate('hash-1', next('hash-3'), at(MINUTE + GRACE), WITH_GRACE)).toBe('reused');
      expect(login.revokedAt).toEqual(at(MINUTE + GRACE));
    });

    it('recognizes the new token as current inside the window, and only the token spent last as a replay', () => {
      const login = rotatedWithGrace();
      expect(login.recognize('hash-2', at(MINUTE + 1))).toBe('current');

      expect(login.rotate('hash-2', next('hash-3', 'sealed-3'), at(MINUTE + 2), WITH_GRACE)).toBe('rotated');

      expect(login.recognize('hash-2', at(MINUTE + 3))).toBe('replay');
      expect(login.sealedPairAt(at(MINUTE + 3))).toBe('sealed-3');
      expect(login.recognize('hash-1', at(MINUTE + 3))).toBe('reused');
    });

    it('keeps no pair and opens no window when the policy is strict, so the spent token is reuse at once', () => {
      const login = opened();
      login.rotate('hash-1', next('hash-2', 'sealed-2'), at(MINUTE), STRICT);

      expect(login).toMatchObject({ previousRefreshTokenHash: 'hash-1', sealedPair: null, sealedPairExpiresAt: null });
      expect(login.recognize('hash-1', at(MINUTE))).toBe('reused');
    });

    it('keeps no window when the rotation brings no pair', () => {
      const login = opened();
      login.rotate('hash-1', next('hash-2'), at(MINUTE), WITH_GRACE);

      expect(login).toMatchObject({ sealedPair: null, sealedPairExpiresAt: null });
      expect(login.recognize('hash-1', at(MINUTE))).toBe('reused');
    });

    it('ends with the login: a revoked login forgets the pair and answers "ended" inside the window', () => {
      const login = rotatedWithGrace();

      login.revoke(at(MINUTE + 1));

      expect(login).toMatchObject({ sealedPair: null, sealedPairExpiresAt: null });
      expect(login.recognize('hash-1', at(MINUTE + 2))).toBe('ended');
      expect(login.sealedPairAt(at(MINUTE + 2))).toBeNull();
    });

    it('hands out nothing once the login has expired, even inside the window', () => {
      const login = Login.restore({ ...rotatedWithGrace(), expiresAt: at(MINUTE + 1) });

      expect(login.recognize('hash-1', at(MINUTE + 1))).toBe('ended');
      expect(login.sealedPairAt(at(MINUTE + 1))).toBeNull();
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
