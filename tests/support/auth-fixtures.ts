import type { LogInOutput } from '../../src/application/auth/log-in.use-case.js';
import type { Principal } from '../../src/application/auth/principal.js';
import type { RegisterUserInput, RegisterUserOutput } from '../../src/application/auth/register-user.use-case.js';
import type { TokenPair } from '../../src/application/auth/token-pair.js';
import type { DomainEvent } from '../../src/application/ports/event-publisher.port.js';
import { User } from '../../src/domain/user.entity.js';
import { createInMemoryChatBackend, type InMemoryChatBackend, type InMemoryChatBackendOptions } from '../../src/testing.js';

/**
 * Shared setup for the auth use-case tests: valid inputs with overrides, registered accounts, and
 * the error shapes the API promises, named once so every test matches them the same way.
 */

export const newBackend = (options: InMemoryChatBackendOptions = {}): InMemoryChatBackend =>
  createInMemoryChatBackend(options);

export const ALICE = Object.freeze({ username: 'alice', email: 'alice@example.com', password: 'Wonderland1' });
export const BOB = Object.freeze({ username: 'bob', email: 'bob@example.com', password: 'Builder123' });

/** A valid registration (Alice's unless overridden). */
export const registration = (overrides: Partial<RegisterUserInput> = {}): RegisterUserInput => ({
  username: ALICE.username,
  email: ALICE.email,
  password: ALICE.password,
  ...overrides,
});

/** A registered account with the password it was registered with and the principal of its first login. */
export interface Account extends RegisterUserOutput {
  readonly password: string;
  readonly principal: Principal;
}

export const register = async (
  backend: InMemoryChatBackend,
  overrides: Partial<RegisterUserInput> = {},
): Promise<Account> => {
  const input = registration(overrides);
  const output = await backend.registerUser.execute(input);
  const principal = await backend.authenticate.execute({ accessToken: output.tokens.accessToken });
  return { ...output, password: input.password, principal };
};

export const registerAlice = (backend: InMemoryChatBackend): Promise<Account> => register(backend);

export const registerBob = (backend: InMemoryChatBackend): Promise<Account> => register(backend, BOB);

/** Another login (another device) of an existing account. */
export const logInAgain = async (
  backend: InMemoryChatBackend,
  account: Pick<Account, 'user' | 'password'>,
): Promise<LogInOutput & { principal: Principal }> => {
  const output = await backend.logIn.execute({ username: account.user.username, password: account.password });
  const principal = await backend.authenticate.execute({ accessToken: output.tokens.accessToken });
  return { ...output, principal };
};

export const authenticateWith = (backend: InMemoryChatBackend, tokens: TokenPair): Promise<Principal> =>
  backend.authenticate.execute({ accessToken: tokens.accessToken });

/** Disables an account the way an administrator would: through the entity, saved by the repository. */
export const disableUser = async (backend: InMemoryChatBackend, userId: string): Promise<void> => {
  const user = await backend.ports.users.findById(userId);
  if (!user) throw new Error(`no user ${userId} to disable`);
  user.deactivate(backend.clock.now());
  await backend.ports.users.save(user);
};

/** Marks an account's email as verified (no use case does that yet), to see what undoes it. */
export const markVerified = async (backend: InMemoryChatBackend, userId: string): Promise<void> => {
  const user = await backend.ports.users.findById(userId);
  if (!user) throw new Error(`no user ${userId} to verify`);
  await backend.ports.users.save(User.restore({ ...user, isVerified: true }));
};

/** A password that meets every rule and is exactly `bytes` long in UTF-8 (at least 8). */
export const passwordOfBytes = (bytes: number): string => `Aa1${'x'.repeat(bytes - 3)}`;

/** The `logins.ended` events published so far. */
export const loginsEnded = (backend: InMemoryChatBackend): Extract<DomainEvent, { type: 'logins.ended' }>[] =>
  backend.events.events.filter((event): event is Extract<DomainEvent, { type: 'logins.ended' }> => event.type === 'logins.ended');

/** The fields a user view has: exactly these, never a password or its hash. */
export const USER_VIEW_KEYS = ['createdAt', 'email', 'id', 'isActive', 'isVerified', 'updatedAt', 'username'];

// The failures the API promises, as `toMatchObject` patterns.

export const validationFailure = (...details: string[]) => ({
  name: 'ValidationError',
  kind: 'validation',
  code: 'validation_failed',
  message: 'Validation failed',
  details,
});

export const INVALID_CREDENTIALS = Object.freeze({
  name: 'UnauthenticatedError',
  kind: 'unauthenticated',
  code: 'invalid_credentials',
  message: 'Invalid username or password',
});

export const INVALID_TOKEN = Object.freeze({
  name: 'UnauthenticatedError',
  kind: 'unauthenticated',
  code: 'invalid_token',
  message: 'Invalid or expired token',
});

export const TOKEN_REUSED = Object.freeze({
  name: 'UnauthenticatedError',
  kind: 'unauthenticated',
  code: 'token_reused',
  message: 'Refresh token was already used; the login has been revoked',
});

export const WRONG_CURRENT_PASSWORD = Object.freeze({
  name: 'UnauthenticatedError',
  kind: 'unauthenticated',
  code: 'invalid_current_password',
  message: 'Current password is incorrect',
});

export const ACCOUNT_DISABLED = Object.freeze({
  name: 'ForbiddenError',
  kind: 'forbidden',
  code: 'account_disabled',
  message: 'Account is disabled',
});

export const USERNAME_TAKEN = Object.freeze({
  name: 'ConflictError',
  kind: 'conflict',
  code: 'username_taken',
  message: 'Username already exists',
});

export const EMAIL_TAKEN = Object.freeze({
  name: 'ConflictError',
  kind: 'conflict',
  code: 'email_taken',
  message: 'Email already exists',
});

export const RATE_LIMITED = Object.freeze({
  name: 'RateLimitedError',
  kind: 'rate_limited',
  code: 'rate_limited',
  message: 'Too many attempts, try again later',
});

/** The failures a password check may end in, by the code that names each. */
const PASSWORD_CHECK_FAILURES = [INVALID_CREDENTIALS, WRONG_CURRENT_PASSWORD, RATE_LIMITED];

/**
 * Runs the attempts at once and counts how they ended: `succeeded`, or the code of a failure the
 * API promises (matched on its whole shape); anything else is counted under its own description,
 * so an assertion on the keys shows it.
 */
export const outcomesOf = async (attempts: readonly Promise<unknown>[]): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const result of await Promise.allSettled(attempts)) {
    let outcome = 'succeeded';
    if (result.status === 'rejected') {
      const error = result.reason as Record<string, unknown>;
      const known = PASSWORD_CHECK_FAILURES.find((shape) =>
        Object.entries(shape).every(([key, value]) => error[key] === value),
      );
      outcome = known?.code ?? `unexpected ${String(result.reason)}`;
    }
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
};
