import { describe, expect, it } from 'vitest';

import { CryptoIdGenerator } from '../../../src/adapters/system/crypto.id-generator.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('CryptoIdGenerator', () => {
  it('generates version 4 UUIDs', () => {
    expect(new CryptoIdGenerator().uuid()).toMatch(UUID_V4);
  });

  it('never repeats itself across many ids', () => {
    const generator = new CryptoIdGenerator();
    const ids = new Set(Array.from({ length: 1000 }, () => generator.uuid()));

    expect(ids.size).toBe(1000);
  });
});
