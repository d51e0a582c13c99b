import type { User } from '../../domain/user.entity.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { PasswordAttempt } from '../throttling/login-throttle.service.js';

/**
 * What failed password checks are counted against. A known account by its id, so neither naming it
 * by email instead of username nor renaming it (which needs no password) starts a fresh count; an
 * unknown name by itself, lower-cased, since it names no one.
 */
export const accountKeyOf = (user: User): string => `user:${user.id}`;
export const unknownAccountKey = (name: string): string => `name:${name.toLowerCase()}`;

/**
 * A password check of a known account from `address`. Its logins say where it has signed in
 * before (registering opens one too): a durable record that every instance shares, with or without
 * Redis, and that is read only when the per-account limit would refuse.
 */
export const passwordAttemptOf = (user: User, address: string | null, logins: LoginRepository): PasswordAttempt => ({
  account: accountKeyOf(user),
  address,
  isKnownAddress: () => (address === null ? Promise.resolve(false) : logins.hasSignedInFrom(user.id, address)),
});
