import { serverBusy, tooManyLoginAttempts } from '../../domain/domain-error.js';
import type { WindowCount, WindowCounter, WindowCounters } from '../ports/window-counters.port.js';
import type { ThrottleLimits } from './throttle-limits.js';

/** Who is trying a password: the account named and the address the attempt comes from. */
export interface PasswordAttempt {
  /** The account's key (see `account-key.ts`). */
  readonly account: string;
  /** The client address, or null when it is unknown (then no per-address limit applies). */
  readonly address: string | null;
  /**
   * Whether the account has signed in from `address` before. Asked only when the per-account
   * limit would refuse the attempt, so the common case costs no lookup.
   */
  readonly isKnownAddress?: () => Promise<boolean>;
}

/** One of the limits an attempt falls under, with the key it is counted by. */
interface Scope {
  readonly limit: number;
  readonly lockMs: number;
  readonly failures: WindowCounter;
  readonly key: string;
  /** The key of its attempts in flight (one counter holds those of every scope). */
  readonly inFlightKey: string;
  readonly resetOnSuccess: boolean;
  readonly exemptAtKnownAddress: boolean;
}

interface Reading {
  readonly scope: Scope;
  readonly failures: WindowCount;
  readonly inFlight: number;
}

/**
 * Attempts in flight are counted apart from failures, in keys that outlive any comparison (a
 * crashed instance's leftovers are forgotten after this long).
 */
const IN_FLIGHT_WINDOW_MS = 10 * 60_000;

export interface LoginThrottleOptions {
  /**
   * How long an attempt may wait for the attempts ahead of it to finish before it is turned away
   * as busy. Real time, not the Clock's: it waits for other requests, not for a window.
   */
  readonly settleWaitMs?: number;
  /** The pause between two looks, drawn from this range so that waiting attempts do not move in step. */
  readonly pollMs?: readonly [number, number];
}

/**
 * Failed password checks, limited as QUALITY.md "Brute force without lockout abuse" says: per
 * account and address, per address over all accounts, and per account over all addresses except
 * those it has signed in from before, so that a stranger failing from elsewhere never locks its
 * owner out of an address the owner uses.
 *
 * An attempt is counted before its password is compared. Each limit keeps two counts per key:
 * the failures, and the attempts in flight (compared right now, whose outcome is not known yet).
 * An attempt goes ahead only when, for each of its limits, failures plus attempts in flight
 * (itself included) are within the limit; it adds itself to the attempts in flight before reading
 * the failures, and a failure is added to the failures before it leaves the attempts in flight,
 * so guesses sent at the same time can never have more than the limit compared. When the failures
 * alone have reached a limit, the attempt is refused (429, with how long the lock has left); when
 * only attempts in flight stand in the way, it waits for them to finish and looks again, because
 * they may well succeed: concurrent correct logins are never refused for each other. A success
 * starts the account-and-address count over; a comparison that fails to run (the hashing queue is
 * full) counts as neither.
 */
export class LoginThrottle {
  private readonly inFlight: WindowCounter;
  private readonly perAccountAndAddress: WindowCounter;
  private readonly perAddress: WindowCounter;
  private readonly perAccount: WindowCounter;
  private readonly settleWaitMs: number;
  private readonly pollMs: readonly [number, number];

  constructor(
    counters: WindowCounters,
    private readonly limits: ThrottleLimits['passwordFailures'],
    options: LoginThrottleOptions = {},
  ) {
    const windowOf = (settings: { windowSeconds: number }) => ({ windowMs: settings.windowSeconds * 1000 });
    this.inFlight = counters.counter('password-checks-in-flight', { windowMs: IN_FLIGHT_WINDOW_MS });
    this.perAccountAndAddress = counters.counter('password-failures:account-address', windowOf(limits.perAccountAndAddress));
    this.perAddress = counters.counter('password-failures:address', windowOf(limits.perAddress));
    this.perAccount = counters.counter('password-failures:account', windowOf(limits.perAccount));
    this.settleWaitMs = options.settleWaitMs ?? 10_000;
    this.pollMs = options.pollMs ?? [10, 40];
  }

  /**
   * Runs `compare` (one password comparison, answering whether it matched) within the limits, and
   * answers what it answered. Throws `RateLimitedError` without comparing when a limit is reached,
   * `UnavailableError` when the counters cannot be reached (guessing must not become unlimited
   * while they are down) or when the attempts ahead did not finish in time.
   */
  async check(attempt: PasswordAttempt, compare: () => Promise<boolean>): Promise<boolean> {
    const admitted = await this.admit(attempt, this.scopesOf(attempt));
    let matched: boolean;
    try {
      matched = await compare();
    } catch (error) {
      // No outcome: the attempt leaves the attempts in flight and counts for nothing. What went
      // wrong with the comparison is the answer, not a second failure of the counters.
      await this.leave(admitted).catch(() => undefined);
      throw error;
    }
    if (matched) {
      await Promise.all(admitted.filter((scope) => scope.resetOnSuccess).map((scope) => scope.failures.delete(scope.key)));
    } else {
      await Promise.all(admitted.map((scope) => this.recordFailure(scope)));
    }
    await this.leave(admitted);
    return matched;
  }

  private scopesOf({ account, address }: PasswordAttempt): Scope[] {
    const { perAccountAndAddress, perAddress, perAccount } = this.limits;
    const scope = (
      name: string,
      failures: WindowCounter,
      settings: { points: number; windowSeconds: number },
      key: string,
      flags: Pick<Scope, 'resetOnSuccess' | 'exemptAtKnownAddress'>,
    ): Scope => ({ limit: settings.points, lockMs: settings.windowSeconds * 1000, failures, key, inFlightKey: `${name}|${key}`, ...flags });
    // The address first: it holds no `|`, so no account name can make two keys meet.
    const scopes = [
      scope('account-address', this.perAccountAndAddress, perAccountAndAddress, `${address ?? '-'}|${account}`, {
        resetOnSuccess: true,
        exemptAtKnownAddress: false,
      }),
      scope('account', this.perAccount, perAccount, account, { resetOnSuccess: false, exemptAtKnownAddress: true }),
    ];
    if (address !== null) {
      scopes.push(scope('address', this.perAddress, perAddress, address, { resetOnSuccess: false, exemptAtKnownAddress: false }));
    }
    return scopes;
  }

  /** Waits until every scope has room for the attempt and answers the scopes it was counted in. */
  private async admit(attempt: PasswordAttempt, scopes: Scope[]): Promise<Scope[]> {
    const deadline = Date.now() + this.settleWaitMs;
    let known: boolean | undefined;
    const isKnown = async (): Promise<boolean> => (known ??= attempt.address !== null && (await attempt.isKnownAddress?.()) === true);
    let reserve = true;
    for (;;) {
      // A first look reserves at once; after a wait, a look without reserving comes first, so
      // that attempts waiting together do not crowd each other out with reservations they undo.
      const readings = reserve ? await this.reserve(scopes) : await this.read(scopes);
      const blocking: Reading[] = [];
      for (const reading of readings) {
        if (this.stateOf(reading, reserve) === 'open') continue;
        if (reading.scope.exemptAtKnownAddress && (await isKnown())) {
          // The account's own address: its per-account limit does not apply to this attempt.
          scopes = scopes.filter((scope) => scope !== reading.scope);
          if (reserve) await this.leave([reading.scope]);
          continue;
        }
        blocking.push(reading);
      }
      if (blocking.length === 0) {
        if (reserve) return scopes;
        reserve = true;
        continue;
      }
      if (reserve) await this.leave(scopes);
      const locked = blocking.filter((reading) => this.stateOf(reading, reserve) === 'locked');
      if (locked.length > 0) throw tooManyLoginAttempts(Math.max(...locked.map((reading) => reading.failures.msLeft)) / 1000);
      if (Date.now() >= deadline) throw serverBusy(1);
      await this.pause();
      reserve = false;
    }
  }

  /**
   * `locked` when the failures alone fill the limit, `crowded` when attempts in flight take the
   * room left (a reading that did not reserve counts the attempt itself on top), else `open`.
   */
  private stateOf({ scope, failures, inFlight }: Reading, reserved: boolean): 'locked' | 'crowded' | 'open' {
    if (failures.count >= scope.limit) return 'locked';
    return failures.count + inFlight + (reserved ? 0 : 1) > scope.limit ? 'crowded' : 'open';
  }

  /** Adds the attempt to each scope's attempts in flight, then reads its failures (in that order). */
  private async reserve(scopes: readonly Scope[]): Promise<Reading[]> {
    const settled = await Promise.allSettled(
      scopes.map(async (scope) => {
        const inFlight = await this.inFlight.add(scope.inFlightKey);
        try {
          return { scope, inFlight: inFlight.count, failures: await scope.failures.get(scope.key) };
        } catch (error) {
          await this.inFlight.subtract(scope.inFlightKey).catch(() => undefined);
          throw error;
        }
      }),
    );
    const readings = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) {
      await this.leave(readings.map((reading) => reading.scope)).catch(() => undefined);
      throw failure.reason;
    }
    return readings;
  }

  private read(scopes: readonly Scope[]): Promise<Reading[]> {
    return Promise.all(
      scopes.map(async (scope) => {
        const [inFlight, failures] = await Promise.all([this.inFlight.get(scope.inFlightKey), scope.failures.get(scope.key)]);
        return { scope, inFlight: inFlight.count, failures };
      }),
    );
  }

  private async leave(scopes: readonly Scope[]): Promise<void> {
    await Promise.all(scopes.map((scope) => this.inFlight.subtract(scope.inFlightKey)));
  }

  /** Counts a failure; the one that reaches the limit locks the key for a whole window from now. */
  private async recordFailure(scope: Scope): Promise<void> {
    const { count } = await scope.failures.add(scope.key);
    if (count === scope.limit) await scope.failures.hold(scope.key, count, scope.lockMs);
  }

  private pause(): Promise<void> {
    const [least, most] = this.pollMs;
    return new Promise((resolve) => setTimeout(resolve, least + Math.random() * (most - least)));
  }
}
