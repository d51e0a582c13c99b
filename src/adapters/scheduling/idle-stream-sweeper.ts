import type { Logger } from 'pino';

/** The longest wait between sweeps: a stream is marked at most this long after its timeout. */
const MAX_SWEEP_INTERVAL_MS = 30_000;

/**
 * How often to sweep for a given idle timeout: a quarter of it, so a stream is marked within a
 * quarter past its timeout, and at least every 30 s, so a long timeout is still kept closely.
 */
export const sweepIntervalMs = (idleTimeoutMs: number): number => Math.min(idleTimeoutMs / 4, MAX_SWEEP_INTERVAL_MS);

export interface IdleStreamSweeperOptions {
  /** One sweep (`ExpireIdleStreams`): answers how many messages it marked; stops early once `signal` is aborted. */
  readonly sweep: (signal: AbortSignal) => Promise<number>;
  readonly intervalMs: number;
  readonly logger: Pick<Logger, 'info' | 'error'>;
}

/**
 * Runs the idle-stream sweep on one timer for the whole process, whatever the number of streams.
 * Every instance runs its own; the sweep itself keeps them from marking a message twice.
 */
export class IdleStreamSweeper {
  #timer: NodeJS.Timeout | null = null;
  /** The sweep under way, if any: a tick that finds one skips, so runs never overlap. */
  #running: Promise<void> | null = null;
  /** Aborted by `stop`, so that a long sweep ends after the candidate it is deciding. */
  #stopping = new AbortController();

  constructor(private readonly options: IdleStreamSweeperOptions) {}

  start(): void {
    if (this.#timer) return;
    if (this.#stopping.signal.aborted) this.#stopping = new AbortController();
    this.#timer = setInterval(() => this.#tick(), this.options.intervalMs);
    // A timer alone must not keep the process alive: shutdown closes what it waits for.
    this.#timer.unref();
  }

  /**
   * No sweep starts after this; one under way is told to stop after its current candidate and
   * waited for, so the database can close after it, however many streams were waiting.
   */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#stopping.abort();
    await this.#running;
  }

  #tick(): void {
    if (this.#running || this.#stopping.signal.aborted) return;
    this.#running = this.#sweepOnce().finally(() => {
      this.#running = null;
    });
  }

  /** Errors are logged and the next tick tries again: a database away for a while must not end the process. */
  async #sweepOnce(): Promise<void> {
    try {
      const marked = await this.options.sweep(this.#stopping.signal);
      if (marked > 0) this.options.logger.info({ marked }, `marked ${marked} idle stream${marked === 1 ? '' : 's'} incomplete`);
    } catch (error) {
      this.options.logger.error({ err: error }, 'the idle-stream sweep failed');
    }
  }
}
