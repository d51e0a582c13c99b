import { describe, expect, it } from 'vitest';
import { AesGcmSecretSealer } from '../../../src/adapters/security/aes-gcm.secret-sealer.js';

const SECRET = 'a-sealing-secret-that-is-at-least-32-bytes';
const CONTEXT = 'refresh-grace-pair:login-1:hash-1';
const PLAINTEXT = JSON.stringify({ accessToken: 'eyJhbGciOi.access.sig', refreshToken: 'eyJhbGciOi.refresh.sig', note: 'wörld 👋' });

const sealer = new AesGcmSecretSealer(SECRET);

/** `sealed` with one bit of its `index`-th byte (after the version) flipped. */
const withBitFlipped = (sealed: string, index: number): string => {
  const bytes = Buffer.from(sealed.slice('v1.'.length), 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `v1.${bytes.toString('base64url')}`;
};

describe('AesGcmSecretSealer', () => {
  it('when sealed text is opened with its context, gives back the plaintext', () => {
    expect(sealer.open(sealer.seal(PLAINTEXT, CONTEXT), CONTEXT)).toBe(PLAINTEXT);
  });

  it('when another instance has the same secret, it opens what this one sealed (servers share SECRET_KEY)', () => {
    expect(new AesGcmSecretSealer(SECRET).open(sealer.seal(PLAINTEXT, CONTEXT), CONTEXT)).toBe(PLAINTEXT);
  });

  it('when the same text is sealed twice, the sealed values differ (a fresh nonce each time) and both open', () => {
    const [one, two] = [sealer.seal(PLAINTEXT, CONTEXT), sealer.seal(PLAINTEXT, CONTEXT)];

    expect(one).not.toBe(two);
    expect(sealer.open(one, CONTEXT)).toBe(PLAINTEXT);
    expect(sealer.open(two, CONTEXT)).toBe(PLAINTEXT);
  });

  it('when sealed, shows nothing of the plaintext: not its text, nor its base64 or base64url form', () => {
    const sealed = sealer.seal(PLAINTEXT, CONTEXT);

    expect(sealed).toMatch(/^v1\.[\w-]+$/);
    for (const part of ['eyJhbGciOi', 'access', 'refresh', Buffer.from(PLAINTEXT).toString('base64url').slice(0, 12)]) {
      expect(sealed).not.toContain(part);
    }
    expect(sealed).not.toContain(Buffer.from(PLAINTEXT).toString('base64').slice(0, 12));
  });

  it('when opened for another context, gives nothing', () => {
    const sealed = sealer.seal(PLAINTEXT, CONTEXT);

    expect(sealer.open(sealed, 'refresh-grace-pair:login-2:hash-1')).toBeNull();
    expect(sealer.open(sealed, 'refresh-grace-pair:login-1:hash-2')).toBeNull();
    expect(sealer.open(sealed, '')).toBeNull();
  });

  it('when opened with another secret, gives nothing', () => {
    const sealed = sealer.seal(PLAINTEXT, CONTEXT);

    expect(new AesGcmSecretSealer(`${SECRET}-other`).open(sealed, CONTEXT)).toBeNull();
  });

  it('when any one bit of the nonce, the ciphertext or the tag is changed, gives nothing', () => {
    const sealed = sealer.seal(PLAINTEXT, CONTEXT);
    const length = Buffer.from(sealed.slice('v1.'.length), 'base64url').length;

    const opened = Array.from({ length }, (_, index) => sealer.open(withBitFlipped(sealed, index), CONTEXT));

    expect(opened.filter((plaintext) => plaintext !== null)).toEqual([]);
    expect(length).toBe(12 + Buffer.byteLength(PLAINTEXT) + 16);
  });

  it.each(['', 'v1', 'v1.', 'v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'v1.AAAA', 'v1.a.b', 'not sealed at all'])(
    'when given %j, which it did not seal, gives nothing',
    (sealed) => {
      expect(sealer.open(sealed, CONTEXT)).toBeNull();
    },
  );

  it('when cut short, gives nothing', () => {
    const sealed = sealer.seal(PLAINTEXT, CONTEXT);

    expect(sealer.open(sealed.slice(0, -4), CONTEXT)).toBeNull();
  });

  it('refuses a secret under 32 bytes', () => {
    expect(() => new AesGcmSecretSealer('x'.repeat(31))).toThrow(/at least 32 bytes/);
    expect(() => new AesGcmSecretSealer('x'.repeat(32))).not.toThrow();
  });
});
