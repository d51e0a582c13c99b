/** Who is trying a password: the account named and the address the attempt comes from. */
export interface LoginAttempt {
  /** The account's key, compared without regard to case. */
  readonly account: string;
  /** The client address, or null when it is unknown (then only the account is counted). */
  readonly address: string | null;
}

/**
 * Slows down password guessing, per account and per client address.
 *
 * Every password check is counted *before* the password is compared, so attempts that run at the
 * same time cannot all slip past the limit: the caller `acquire`s, compares, and on a match
 * `release`s. An attempt that is never released (a wrong password, or a crash halfway) stays
 * counted as a failure until its window passes.
 */
export interface LoginAttemptLimiter {
  /**
   * Charges the attempt, atomically per key: one point to the account and, when the address is
   * known, one point to the address.
   *
   * Resolves when both keys were within their limits; the attempt is then charged to both, and
   * the caller may compare the password.
   *
   * Throws `RateLimitedError` with the longer of the waits when either key is over its limit. The
   * key that refused stays charged (it is locked anyway); the other one keeps no point for this
   * attempt, since no password was compared: a locked account does not use up its address's
   * allowance, nor a locked address the account's. Under concurrent attempts that refund is made
   * after the fact, so a key may briefly look fuller than its real failures.
   *
   * Throws `UnavailableError` when the store behind the counters fails (the attempt must then be
   * refused: guessing must not become unlimited while the store is down).
   */
  acquire(attempt: LoginAttempt): Promise<void>;
  /**
   * The acquired attempt succeeded (the password matched): clears every failure the account has
   * counted, and gives the address back the one point this attempt took, so legitimate logins
   * from one shared address do not use up its allowance while its failures still count.
   *
   * Throws `UnavailableError` when the store behind the counters fails.
   */
  release(attempt: LoginAttempt): Promise<void>;
}

export const LoginAttemptLimiter = Symbol.for('chat-backend.LoginAttemptLimiter');
