import { DeadlockException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { translateDriverError } from '../../../../src/adapters/persistence/mikro-orm/translate-driver-error.js';
import { ConflictError, NotFoundError, UnavailableError } from '../../../../src/domain/domain-error.js';

const driverError = (message: string, fields: Record<string, unknown> = {}): Error => Object.assign(new Error(message), fields);

describe('translateDriverError', () => {
  it.each([
    ['MySQL', "Duplicate entry 'bob' for key 'users_username_unique'", 'username_taken', 'Username already exists'],
    ['MySQL 8 (table-qualified key)', "Duplicate entry 'bob' for key 'users.users_username_unique'", 'username_taken', 'Username already exists'],
    ['MySQL', "Duplicate entry 'b@x.io' for key 'users_email_unique'", 'email_taken', 'Email already exists'],
    ['SQLite', 'UNIQUE constraint failed: users.username', 'username_taken', 'Username already exists'],
    ['SQLite', 'UNIQUE constraint failed: users.email', 'email_taken', 'Email already exists'],
  ])('when %s reports "%s", it is a conflict with code %s', (_engine, message, code, text) => {
    const error = new UniqueConstraintViolationException(driverError(message, { code: 'ER_DUP_ENTRY', errno: 1062, sqlMessage: message }));

    const translated = translateDriverError(error);

    expect(translated).toBeInstanceOf(ConflictError);
    expect(translated).toMatchObject({ kind: 'conflict', code, message: text });
  });

  it('when another unique key is violated, it is a generic conflict', () => {
    const translated = translateDriverError(new UniqueConstraintViolationException(driverError("Duplicate entry 'x' for key 'PRIMARY'")));

    expect(translated).toMatchObject({ kind: 'conflict', code: 'conflict' });
  });

  it.each([
    ['a refused connection', driverError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })],
    ['a connect timeout', driverError('connect ETIMEDOUT', { code: 'ETIMEDOUT' })],
    ['a lost connection', driverError('Connection lost: The server closed the connection.', { code: 'PROTOCOL_CONNECTION_LOST' })],
    ['a server gone away', driverError('MySQL server has gone away', { errno: 2006 })],
    ['too many connections', driverError('Too many connections', { code: 'ER_CON_COUNT_ERROR', errno: 1040 })],
    ['an exhausted pool', driverError('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['a closed connection', driverError("Can't add new command when connection is in closed state")],
    ['a deadlock', new DeadlockException(driverError('Deadlock found when trying to get lock', { errno: 1213 }))],
    ['a busy SQLite file', driverError('database is locked', { code: 'SQLITE_BUSY' })],
    ['a wrapped refusal', new DriverException(driverError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }))],
  ])('when it is %s, the database is unavailable and the cause is kept', (_name, error) => {
    const translated = translateDriverError(error);

    expect(translated).toBeInstanceOf(UnavailableError);
    expect(translated).toMatchObject({ kind: 'unavailable', code: 'unavailable' });
    expect((translated as Error).cause).toBe(error);
    // What a client may be shown says nothing about hosts or ports.
    expect((translated as Error).message).toBe('Database unavailable');
  });

  it('when it is already a domain error, a bug, or not an error at all, it comes back unchanged', () => {
    const domain = new NotFoundError();
    const bug = new TypeError('x is not a function');
    const syntax = driverError('You have an error in your SQL syntax', { errno: 1064 });

    expect(translateDriverError(domain)).toBe(domain);
    expect(translateDriverError(bug)).toBe(bug);
    expect(translateDriverError(syntax)).toBe(syntax);
    expect(translateDriverError('text')).toBe('text');
    expect(translateDriverError(null)).toBeNull();
  });
});
