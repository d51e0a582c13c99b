import { describe, expect, it } from 'vitest';
import { ZxcvbnCommonPasswordList } from '../../../src/adapters/security/zxcvbn.common-password-list.js';

describe('ZxcvbnCommonPasswordList', () => {
  const list = new ZxcvbnCommonPasswordList();

  it("holds zxcvbn-ts's list of common passwords, about 49,000 of them", () => {
    expect(list.size).toBeGreaterThan(45_000);
  });

  it.each(['Password123', 'qwerty123', 'WELCOME1', 'iloveyou'])('holds %j, whatever its case', (password) => {
    expect(list.includes(password)).toBe(true);
  });

  it.each(['SecurePass123', 'TestPass123', 'Analytical-Engine-1'])('does not hold %j', (password) => {
    expect(list.includes(password)).toBe(false);
  });

  it('refuses to start from an empty list, which would let every password through', () => {
    expect(() => new ZxcvbnCommonPasswordList([])).toThrow('empty');
  });
});
