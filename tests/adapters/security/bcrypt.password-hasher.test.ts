import { describe, expect, it } from 'vitest';

import { BcryptPasswordHasher } from '../../../src/adapters/security/bcrypt.password-hasher.js';

// The lowest cost bcrypt allows, so the suite stays fast; production uses 12.
const hasher = new BcryptPasswordHasher(4);

describe('BcryptPasswordHasher', () => {
  it('verifies the password it hashed', async () => {
    const hash = await hasher.hash('Correct-Horse-1');

    await expect(hasher.verify('Correct-Horse-1', hash)).resolves.toBe(true);
  });

  it('answers false for a wrong password', async () => {
    const hash = await hasher.hash('Correct-Horse-1');

    await expect(hasher.verify('Correct-Horse-2', hash)).resolves.toBe(false);
  });

  it('writes a bcrypt hash with the configured cost, never the password itself', async () => {
    const hash = await hasher.hash('Correct-Horse-1');

    expect(hash).toMatch(/^\$2[aby]\$04\$[./A-Za-z0-9]{53}$/);
    expect(hash).not.toContain('Correct-Horse-1');
  });

  it('salts every hash, so the same password hashes differently twice', async () => {
    const [first, second] = await Promise.all([hasher.hash('Correct-Horse-1'), hasher.hash('Correct-Horse-1')]);

    expect(first).not.toBe(second);
  });

  it('accepts a password of exactly 72 bytes', async () => {
    const password = 'Aa1' + 'x'.repeat(69);
    const hash = await hasher.hash(password);

    await expect(hasher.verify(password, hash)).resolves.toBe(true);
  });

  it('refuses to hash a password over 72 bytes instead of silently truncating it', async () => {
    await expect(hasher.hash('Aa1' + 'x'.repeat(70))).rejects.toThrow(/72 bytes/);
  });

  it('counts multi-byte characters in UTF-8 bytes: 25 three-byte characters are 75 bytes', async () => {
    await expect(hasher.hash('€'.repeat(25))).rejects.toThrow(/72 bytes/);
  });

  it('answers false for a password over 72 bytes even when its first 72 bytes match', async () => {
    const stored = 'Aa1' + 'x'.repeat(69);
    const hash = await hasher.hash(stored);

    await expect(hasher.verify(stored + 'y', hash)).resolves.toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['garbage', 'not-a-hash'],
    ['a truncated bcrypt hash', '$2b$04$short'],
  ])('answers false rather than throwing for %s as the stored hash', async (_name, hash) => {
    await expect(hasher.verify('Correct-Horse-1', hash)).resolves.toBe(false);
  });

  it('refuses a cost outside what bcrypt supports', () => {
    expect(() => new BcryptPasswordHasher(3)).toThrow(/rounds/);
    expect(() => new BcryptPasswordHasher(32)).toThrow(/rounds/);
    expect(() => new BcryptPasswordHasher(10.5)).toThrow(/rounds/);
  });
});
