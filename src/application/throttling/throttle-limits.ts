/** How many of something a key may have in a window: `points` per `windowSeconds`. */
export interface CountLimitSettings {
  readonly points: number;
  readonly windowSeconds: number;
}

/**
 * Every rate limit the use cases apply, as the configuration sets them (QUALITY.md, "Brute force
 * without lockout abuse"). A login limit's window is also how long its lock lasts.
 */
export interface ThrottleLimits {
  /** Failed password checks (logins, and `current_password` on the profile). */
  readonly passwordFailures: {
    /** Of one account from one address; a success there starts it over. */
    readonly perAccountAndAddress: CountLimitSettings;
    /** From one address, over all accounts. */
    readonly perAddress: CountLimitSettings;
    /** Of one account, over all addresses but those it has signed in from before. */
    readonly perAccount: CountLimitSettings;
  };
  readonly registrationsPerAddress: CountLimitSettings;
  /** Messages written (sent, and later appended to) by one user. */
  readonly messageWritesPerUser: CountLimitSettings;
}
