/** Who is trying to log in: the account named and the address the attempt comes from. */
export interface LoginAttempt {
  readonly account: string;
  readonly address: string | null;
}

/** Slows down password guessing, per account and per client address. */
export interface LoginAttemptLimiter {
  /** Throws `RateLimitedError` (with the wait) when either key has failed too often. */
  assertAllowed(attempt: LoginAttempt): Promise<void>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** A successful login clears the account's failures (not the address's). */
  recordSuccess(attempt: LoginAttempt): Promise<void>;
}

export const LoginAttemptLimiter = Symbol.for('chat-backend.LoginAttemptLimiter');
