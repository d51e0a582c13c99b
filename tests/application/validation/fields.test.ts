import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  emailField,
  passwordField,
  typedPasswordField,
  userIdField,
  usernameField,
} from '../../../src/application/validation/fields.js';
import { validate } from '../../../src/application/validation/validate.js';
import { ValidationError } from '../../../src/domain/domain-error.js';

/** The field's output for `value`, or the details of its refusal. */
const check = (field: v.GenericSchema, value: unknown): { ok: unknown } | { details: readonly string[] } => {
  try {
    return { ok: validate(v.object({ field }, 'must be an object'), { field: value }).field };
  } catch (error) {
    if (error instanceof ValidationError) return { details: error.details };
    throw error;
  }
};

describe('usernameField', () => {
  it.each(['abc', 'a'.repeat(80), 'Alice_1', '___', '123'])('accepts %j', (username) => {
    expect(check(usernameField, username)).toEqual({ ok: username });
  });

  it('trims and strips control characters before counting', () => {
    expect(check(usernameField, '  ab\u0000c  ')).toEqual({ ok: 'abc' });
  });

  it.each([
    ['ab', ['field: must be 3-80 characters']],
    ['a'.repeat(81), ['field: must be 3-80 characters']],
    ['abc.def', ['field: may contain only letters, digits and underscores']],
    ['ab cd', ['field: may contain only letters, digits and underscores']],
    ['ﬁxed', ['field: may contain only letters, digits and underscores']],
    [undefined, ['field: is required']],
    [null, ['field: must be a string']],
  ])('refuses %j', (username, details) => {
    expect(check(usernameField, username)).toEqual({ details });
  });
});

describe('emailField', () => {
  it('trims and lower-cases the address', () => {
    expect(check(emailField, ' Alice@Example.COM ')).toEqual({ ok: 'alice@example.com' });
  });

  it('accepts 120 characters and refuses 121', () => {
    expect(check(emailField, `${'a'.repeat(108)}@example.com`)).toEqual({ ok: `${'a'.repeat(108)}@example.com` });
    expect(check(emailField, `${'a'.repeat(109)}@example.com`)).toEqual({
      details: ['field: must be at most 120 characters'],
    });
  });

  it.each(['plain', '@example.com', 'alice@', 'alice@@example.com', 'alice@example'])('refuses %j as invalid', (email) => {
    expect(check(emailField, email)).toEqual({ details: ['field: must be a valid email address'] });
  });
});

describe('passwordField', () => {
  it('takes the password exactly as typed, spaces and all', () => {
    expect(check(passwordField, ' Wonderland1 ')).toEqual({ ok: ' Wonderland1 ' });
  });

  it('accepts exactly 72 bytes and refuses 73, counting bytes in UTF-8', () => {
    expect(check(passwordField, `Aa1${'é'.repeat(34)}x`)).toEqual({ ok: `Aa1${'é'.repeat(34)}x` });
    expect(check(passwordField, `Aa1${'é'.repeat(35)}`)).toEqual({ details: ['field: must be at most 72 bytes in UTF-8'] });
  });

  it('counts the minimum in characters, not bytes', () => {
    expect(check(passwordField, 'Aa1😀😀')).toEqual({ details: ['field: must be at least 8 characters'] });
    expect(check(passwordField, 'Aa1😀😀😀😀😀')).toEqual({ ok: 'Aa1😀😀😀😀😀' });
  });

  it('takes letters beyond ASCII as upper- and lower-case letters', () => {
    expect(check(passwordField, 'ÉCOLEéte1')).toEqual({ ok: 'ÉCOLEéte1' });
  });

  it.each([
    ['Abcdefg', ['field: must be at least 8 characters', 'field: must contain a digit']],
    ['abcdefg1', ['field: must contain an uppercase letter']],
    ['ABCDEFG1', ['field: must contain a lowercase letter']],
    ['Abcdefgh', ['field: must contain a digit']],
  ])('refuses %j', (password, details) => {
    expect(check(passwordField, password)).toEqual({ details });
  });
});

describe('typedPasswordField', () => {
  it('checks only presence, so a login can try any password', () => {
    expect(check(typedPasswordField, 'x')).toEqual({ ok: 'x' });
  });

  it.each([
    ['', ['field: is required']],
    [undefined, ['field: is required']],
    ['x'.repeat(1025), ['field: is too long']],
  ])('refuses %j', (password, details) => {
    expect(check(typedPasswordField, password)).toEqual({ details });
  });
});

describe('userIdField', () => {
  it.each([
    ['', ['field: is required']],
    [undefined, ['field: is required']],
    [7, ['field: must be a string']],
  ])('refuses %j', (userId, details) => {
    expect(check(userIdField, userId)).toEqual({ details });
  });
});
