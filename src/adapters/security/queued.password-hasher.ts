import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';
import { serverBusy } from '../../domain/domain-error.js';

export interface HashingQueueLimits {
  /** Hashes and comparisons running at once. */
  readonly concurrency: number;
  /** Waiting for a turn; one more is refused. */
  readonly queueLimit: number;
}

/** How much the latest run moves the running average of a run's length. */
const AVERAGE_WEIGHT = 0.2;

/**
 * A bounded queue in front of another hasher: at most `concurrency` hashes and comparisons run,
 * at most `queueLimit` wait, in order, and the next one is refused at once with `UnavailableError`
 * (503) and how long the queue should take to drain, rather than join a backlog without bound. A
 * flood of registrations or guesses then costs the attacker refusals, not every other caller a
 * wait, and the thread pool that bcrypt runs on keeps room for the rest of the server.
 */
export class QueuedPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Milliseconds; the first guess is refined by every run. */
  private averageRunMs = 100;

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: HashingQueueLimits,
  ) {
    if (!Number.isInteger(limits.concurrency) || limits.concurrency < 1) throw new Error('the hashing concurrency must be a whole number of at least 1');
    if (!Number.isInteger(limits.queueLimit) || limits.queueLimit < 0) throw new Error('the hashing queue limit must be a whole number of at least 0');
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.inner.hash(password));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.run(() => this.inner.verify(password, hash));
  }

  private async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.queueLimit) throw serverBusy(this.drainSeconds());
      await new Promise<void>((turn) => this.waiting.push(turn));
    } else {
      this.running += 1;
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.averageRunMs += AVERAGE_WEIGHT * (performance.now() - started - this.averageRunMs);
      // The slot passes straight to the next in line, so `running` never dips and lets a newcomer jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Seconds until what runs and waits now should be done. */
  private drainSeconds(): number {
    const rounds = (this.running + this.waiting.length) / this.limits.concurrency;
    return Math.max(1, Math.ceil((rounds * this.averageRunMs) / 1000));
  }
}
