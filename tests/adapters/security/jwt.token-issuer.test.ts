import { generateKeyPairSync, createHmac } from 'node:crypto';

import jwt from 'jsonwebtoken';
import { beforeEach, describe, expect, it } from 'vitest';

import type { IdGenerator } from '../../../src/application/ports/id-generator.port.js';
import type { TokenType } from '../../../src/application/ports/token-issuer.port.js';
import { JwtTokenIssuer, type JwtTokenIssuerOptions } from '../../../src/adapters/security/jwt.token-issuer.js';
import { CryptoIdGenerator } from '../../../src/adapters/system/crypto.id-generator.js';
import { ManualClock } from '../../../src/adapters/system/manual.clock.js';
import { UnauthenticatedError } from '../../../src/domain/domain-error.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
const ISSUER = 'chat-backend';
const AUDIENCE = 'chat-backend-clients';
const ACCESS_TTL = 900;
const REFRESH_TTL = 30 * 24 * 3600;
const SUBJECT = { userId: '6f1c2d3e-0000-4000-8000-000000000001', loginId: 'a1b2c3d4-0000-4000-8000-000000000002' };

class SequentialIds implements IdGenerator {
  private next = 0;
  uuid(): string {
    this.next += 1;
    return `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`;
  }
}

function makeIssuer(clock: ManualClock, overrides: Partial<JwtTokenIssuerOptions> = {}): JwtTokenIssuer {
  return new JwtTokenIssuer({
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
    accessTtlSeconds: ACCESS_TTL,
    refreshTtlSeconds: REFRESH_TTL,
    clock,
    idGenerator: new CryptoIdGenerator(),
    ...overrides,
  });
}

/**
 * Claims exactly as the issuer writes them, for crafting tokens it did not sign; an override of
 * `undefined` removes the claim.
 */
function claimsAt(clock: ManualClock, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(clock.now().getTime() / 1000);
  const claims: Record<string, unknown> = {
    sub: SUBJECT.userId,
    sid: SUBJECT.loginId,
    jti: 'f0000000-0000-4000-8000-000000000000',
    typ: 'access',
    iss: ISSUER,
    aud: AUDIENCE,
    iat,
    exp: iat + ACCESS_TTL,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Builds a token by hand, so header and signature can be anything an attacker sends. */
function handmadeToken(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (input: string) => string): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${sign(input)}`;
}

function expectInvalidToken(run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UnauthenticatedError);
  expect(thrown).toMatchObject({ kind: 'unauthenticated', code: 'invalid_token', message: 'Invalid or expired token' });
}

describe('JwtTokenIssuer', () => {
  let clock: ManualClock;
  let issuer: JwtTokenIssuer;

  beforeEach(() => {
    clock = new ManualClock('2026-01-31T12:00:00.000Z');
    issuer = makeIssuer(clock);
  });

  describe('when constructed', () => {
    it('refuses a secret shorter than 32 bytes', () => {
      expect(() => makeIssuer(clock, { secret: 'x'.repeat(31) })).toThrow(/32 bytes/);
    });

    it('counts the secret in UTF-8 bytes, not characters', () => {
      // 16 two-byte characters: 16 characters but 32 bytes.
      expect(() => makeIssuer(clock, { secret: 'é'.repeat(16) })).not.toThrow();
      expect(() => makeIssuer(clock, { secret: 'é'.repeat(15) })).toThrow(/32 bytes/);
    });

    it('refuses a lifetime that is not a positive whole number of seconds', () => {
      expect(() => makeIssuer(clock, { accessTtlSeconds: 0 })).toThrow(/accessTtlSeconds/);
      expect(() => makeIssuer(clock, { refreshTtlSeconds: 1.5 })).toThrow(/refreshTtlSeconds/);
    });

    it('reports the refresh lifetime in milliseconds', () => {
      expect(issuer.refreshLifetimeMs).toBe(REFRESH_TTL * 1000);
    });
  });

  describe('when issuing and verifying its own tokens', () => {
    it('round-trips the claims of an access token', () => {
      const issued = issuer.issue('access', SUBJECT);

      const claims = issuer.verify('access', issued.token);

      expect(issued.expiresInSeconds).toBe(ACCESS_TTL);
      expect(claims).toEqual({
        type: 'access',
        userId: SUBJECT.userId,
        loginId: SUBJECT.loginId,
        tokenId: expect.any(String),
        expiresAt: new Date('2026-01-31T12:15:00.000Z'),
      });
    });

    it('round-trips the claims of a refresh token with the refresh lifetime', () => {
      const issued = issuer.issue('refresh', SUBJECT);

      const claims = issuer.verify('refresh', issued.token);

      expect(issued.expiresInSeconds).toBe(REFRESH_TTL);
      expect(claims.type).toBe('refresh');
      expect(claims.expiresAt).toEqual(new Date('2026-03-02T12:00:00.000Z'));
    });

    it('writes HS256 with the iat, exp, iss, aud, typ, sub, sid and jti claims', () => {
      const { token } = makeIssuer(clock, { idGenerator: new SequentialIds() }).issue('access', SUBJECT);

      const decoded = jwt.decode(token, { complete: true });

      expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(decoded?.payload).toEqual({
        sub: SUBJECT.userId,
        sid: SUBJECT.loginId,
        jti: '00000000-0000-4000-8000-000000000001',
        typ: 'access',
        iss: ISSUER,
        aud: AUDIENCE,
        iat: Date.parse('2026-01-31T12:00:00.000Z') / 1000,
        exp: Date.parse('2026-01-31T12:15:00.000Z') / 1000,
      });
    });

    it('gives every token its own jti, even for the same subject at the same instant', () => {
      const first = issuer.verify('access', issuer.issue('access', SUBJECT).token);
      const second = issuer.verify('access', issuer.issue('access', SUBJECT).token);

      expect(first.tokenId).not.toBe(second.tokenId);
    });

    it('accepts a token until the last second of its lifetime', () => {
      const { token } = issuer.issue('access', SUBJECT);

      clock.advance(ACCESS_TTL * 1000 - 1);

      expect(issuer.verify('access', token).userId).toBe(SUBJECT.userId);
    });

    it('accepts a token issued by another instance sharing the secret', () => {
      const { token } = makeIssuer(new ManualClock(clock.now())).issue('access', SUBJECT);

      expect(issuer.verify('access', token).loginId).toBe(SUBJECT.loginId);
    });
  });

  describe('when verifying a token it must refuse', () => {
    it('refuses an expired access token', () => {
      const { token } = issuer.issue('access', SUBJECT);

      clock.advance(ACCESS_TTL * 1000);

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses an expired refresh token', () => {
      const { token } = issuer.issue('refresh', SUBJECT);

      clock.advance(REFRESH_TTL * 1000 + 1000);

      expectInvalidToken(() => issuer.verify('refresh', token));
    });

    it('refuses a refresh token presented as an access token', () => {
      const { token } = issuer.issue('refresh', SUBJECT);

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses an access token presented as a refresh token', () => {
      const { token } = issuer.issue('access', SUBJECT);

      expectInvalidToken(() => issuer.verify('refresh', token));
    });

    it('refuses an unsigned token (alg: none)', () => {
      const token = handmadeToken({ alg: 'none', typ: 'JWT' }, claimsAt(clock), () => '');

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses alg: none even with our own HMAC appended as the signature', () => {
      const token = handmadeToken({ alg: 'none', typ: 'JWT' }, claimsAt(clock), (input) =>
        createHmac('sha256', SECRET).update(input).digest('base64url'),
      );

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token signed with our secret but HS512', () => {
      const token = jwt.sign(claimsAt(clock), SECRET, { algorithm: 'HS512' });

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token signed with an RSA key (RS256)', () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = jwt.sign(claimsAt(clock), privateKey, { algorithm: 'RS256' });

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses an RS256 header over a valid HMAC of our secret (algorithm confusion)', () => {
      const token = handmadeToken({ alg: 'RS256', typ: 'JWT' }, claimsAt(clock), (input) =>
        createHmac('sha256', SECRET).update(input).digest('base64url'),
      );

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token signed with another secret', () => {
      const token = jwt.sign(claimsAt(clock), 'another-secret-that-is-also-32-bytes-long', { algorithm: 'HS256' });

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token of another issuer', () => {
      const { token } = makeIssuer(clock, { issuer: 'someone-else' }).issue('access', SUBJECT);

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token for another audience', () => {
      const { token } = makeIssuer(clock, { audience: 'another-api' }).issue('access', SUBJECT);

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token whose payload was altered after signing', () => {
      const { token } = issuer.issue('access', SUBJECT);
      const [header, , signature] = token.split('.');
      const forged = `${header}.${base64url(JSON.stringify(claimsAt(clock, { sub: 'someone-else' })))}.${signature}`;

      expectInvalidToken(() => issuer.verify('access', forged));
    });

    it.each<[string, Record<string, unknown>]>([
      ['without sub', { sub: undefined }],
      ['without sid', { sid: undefined }],
      ['without jti', { jti: undefined }],
      ['without typ', { typ: undefined }],
      ['without exp (one that never expires)', { exp: undefined }],
      ['with a numeric sub', { sub: 42 }],
      ['with an empty sid', { sid: '' }],
      ['with an unknown typ', { typ: 'id' }],
    ])('refuses a correctly signed token %s', (_name, overrides) => {
      const token = jwt.sign(claimsAt(clock, overrides), SECRET, { algorithm: 'HS256' });

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a correctly signed token whose payload is not an object', () => {
      const token = jwt.sign('just a string', SECRET, { algorithm: 'HS256' });

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it('refuses a token that is not yet valid (nbf in the future)', () => {
      const token = jwt.sign(claimsAt(clock, { nbf: Math.floor(clock.now().getTime() / 1000) + 60 }), SECRET, {
        algorithm: 'HS256',
      });

      expectInvalidToken(() => issuer.verify('access', token));
    });

    it.each<[string, string]>([
      ['garbage', 'not-a-token'],
      ['an empty string', ''],
      ['three dots of nothing', '..'],
      ['base64 that is not JSON', 'eyJhbGciOi.eyJzdWIiOi.c2ln'],
    ])('refuses %s', (_name, token) => {
      for (const type of ['access', 'refresh'] satisfies TokenType[]) {
        expectInvalidToken(() => issuer.verify(type, token));
      }
    });

    it("never leaks jsonwebtoken's own message", () => {
      const { token } = issuer.issue('access', SUBJECT);
      clock.advance(ACCESS_TTL * 1000);

      expect(() => issuer.verify('access', token)).toThrow(
        expect.objectContaining({ message: 'Invalid or expired token' }),
      );
      expect(() => issuer.verify('access', token)).not.toThrow(/jwt expired/);
    });
  });

  describe('when digesting a token', () => {
    it('gives the same SHA-256 hex digest for the same token', () => {
      const { token } = issuer.issue('refresh', SUBJECT);

      expect(issuer.digest(token)).toBe(issuer.digest(token));
      expect(issuer.digest(token)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('gives different digests for different tokens', () => {
      const first = issuer.issue('refresh', SUBJECT).token;
      const second = issuer.issue('refresh', SUBJECT).token;

      expect(issuer.digest(first)).not.toBe(issuer.digest(second));
    });

    it('is the plain SHA-256 of the token, so another instance computes the same digest', () => {
      expect(issuer.digest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });
  });
});
