import { describe, expect, it } from 'vitest';
import { sanitizeText, utf8ByteLength } from '../../../src/application/validation/sanitize.js';

describe('sanitizeText', () => {
  it('trims surrounding whitespace', () => {
    expect(sanitizeText(' \t alice \n ')).toBe('alice');
  });

  it('normalizes to NFC, so a decomposed letter becomes one character', () => {
    const decomposed = 'Cafe\u0301';

    const clean = sanitizeText(decomposed);

    expect(clean).toBe('Caf\u00e9');
    expect([...clean]).toHaveLength(4);
  });

  it('removes C0, DEL and C1 control characters', () => {
    expect(sanitizeText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg')).toBe('abcdefg');
  });

  it('keeps newlines and tabs inside the text', () => {
    expect(sanitizeText('line one\nline\ttwo')).toBe('line one\nline\ttwo');
  });

  it('trims what the removed control characters left at the edges', () => {
    expect(sanitizeText('\u0000 alice \u0007')).toBe('alice');
  });

  it('replaces a lone surrogate with U+FFFD', () => {
    expect(sanitizeText('a\ud800b')).toBe('a\ufffdb');
  });

  it('leaves HTML as written', () => {
    expect(sanitizeText('<b>bold</b> & "quotes"')).toBe('<b>bold</b> & "quotes"');
  });
});

describe('utf8ByteLength', () => {
  it.each([
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    [`Aa1${'é'.repeat(35)}`, 73],
  ])('measures %j as %i bytes', (value, bytes) => {
    expect(utf8ByteLength(value)).toBe(bytes);
  });
});
