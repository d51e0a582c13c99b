import { describe, expect, it } from 'vitest';
import { serializeErrorSafely } from '../../../src/adapters/logging/safe-error-serializer.js';

const knexInsertError = (): Error => {
  const error = new Error(
    "insert into `users` (`email`, `password_hash`) values ('d@x.io', '$2b$12$SECRETHASHSECRETHASH') - Lock wait timeout exceeded",
  ) as Error & { code: string; errno: number; sqlState: string };
  error.code = 'ER_LOCK_WAIT_TIMEOUT';
  error.errno = 1205;
  error.sqlState = 'HY000';
  return error;
};

describe('the log serializer for errors', () => {
  it('when a driver error carries its SQL and values, none of them reaches the log, but its codes do', () => {
    const serialized = serializeErrorSafely(knexInsertError());
    const text = JSON.stringify(serialized);

    expect(text).not.toContain('d@x.io');
    expect(text).not.toContain('SECRETHASH');
    expect(serialized).toMatchObject({ type: 'Error', code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205, sqlState: 'HY000' });
    expect(String(serialized['stack'])).toMatch(/^\s*at /);
  });

  it('when the driver error is the cause of a domain error, the cause is withheld too', () => {
    const wrapped = new Error('Database unavailable', { cause: knexInsertError() });

    const serialized = serializeErrorSafely(wrapped);

    expect(serialized['message']).toBe('Database unavailable');
    expect(JSON.stringify(serialized)).not.toContain('d@x.io');
    expect(serialized['cause']).toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' });
  });

  it('when a plain bug throws, its message is kept for whoever fixes it', () => {
    expect(serializeErrorSafely(new TypeError('cannot read properties of undefined'))).toMatchObject({
      type: 'TypeError',
      message: 'cannot read properties of undefined',
    });
  });

  it('when something that is not an Error is thrown, only its type is logged', () => {
    expect(serializeErrorSafely('password=hunter2')).toEqual({ type: 'string' });
  });
});
