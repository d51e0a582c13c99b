import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/application/validation/validate.js';
import { ValidationError } from '../../../src/domain/domain-error.js';

const schema = v.object(
  {
    perPage: v.number('must be a number'),
    currentPassword: v.string('must be a string'),
    client: v.optional(v.object({ userAgent: v.string('must be a string') }, 'must be an object')),
  },
  'must be an object',
);

const failureOf = (input: unknown, against: v.GenericSchema = schema): ValidationError => {
  try {
    validate(against, input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a validation failure');
};

describe('validate', () => {
  it('answers the parsed output when the input is valid', () => {
    expect(validate(schema, { perPage: 5, currentPassword: 'x', extra: true })).toEqual({ perPage: 5, currentPassword: 'x' });
  });

  it('drops keys the schema does not name', () => {
    expect(validate(schema, { perPage: 5, currentPassword: 'x', isActive: false })).not.toHaveProperty('isActive');
  });

  it('throws a ValidationError of kind "validation" and code "validation_failed"', () => {
    const error = failureOf(null);

    expect(error).toMatchObject({ kind: 'validation', code: 'validation_failed', message: 'Validation failed' });
  });

  it('names a problem with the whole input "input"', () => {
    expect(failureOf('text').details).toEqual(['input: must be an object']);
  });

  it('names fields as the API spells them, in snake_case', () => {
    expect(failureOf({ perPage: 'x', currentPassword: 1 }).details).toEqual([
      'per_page: must be a number',
      'current_password: must be a string',
    ]);
  });

  it('says a missing field "is required" rather than repeating the object\'s message', () => {
    expect(failureOf({}).details).toEqual(['per_page: is required', 'current_password: is required']);
  });

  it('names a nested field by its dotted path', () => {
    expect(failureOf({ perPage: 1, currentPassword: 'x', client: {} }).details).toEqual(['client.user_agent: is required']);
    expect(failureOf({ perPage: 1, currentPassword: 'x', client: { userAgent: 1 } }).details).toEqual([
      'client.user_agent: must be a string',
    ]);
  });

  it('lists each problem once', () => {
    const twice = v.object({ name: v.pipe(v.string(), v.check(() => false, 'bad'), v.check(() => false, 'bad')) }, 'must be an object');

    expect(failureOf({ name: 'x' }, twice).details).toEqual(['name: bad']);
  });
});
