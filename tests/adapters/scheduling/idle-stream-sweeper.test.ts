import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleStreamSweeper, sweepIntervalMs } from '../../../src/adapters/scheduling/idle-stream-sweeper.js';

const INTERVAL = 1_000;

/** A logger whose lines the test reads. */
const recordingLogger = () => {
  const lines: Array<{ level: number; msg: string; marked?: number; err?: { message: string } }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
};

/** A sweep that stays under way until the test lets it finish. */
const heldSweep = () => {
  let finish: (marked: number) => void = () => undefined;
  const calls: number[] = [];
  const sweep = () => {
    calls.push(Date.now());
    return new Promise<number>((resolve) => {
      finish = resolve;
    });
  };
  return { sweep, calls, finish: (marked = 0) => finish(marked) };
};

describe('IdleStreamSweeper', () => {
  let sweeper: IdleStreamSweeper | undefined;

  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await sweeper?.stop();
    sweeper = undefined;
  });

  it('sweeps once per interval once started, and not before', async () => {
    const { logger } = recordingLogger();
    const sweep = vi.fn(async () => 0);
    sweeper = new IdleStreamSweeper({ sweep, intervalMs: INTERVAL, logger });

    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(sweep).not.toHaveBeenCalled();
    sweeper.start();
    sweeper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(sweep).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 + 2 * INTERVAL);

    expect(sweep).toHaveBeenCalledTimes(3);
  });

  it('never starts a sweep while one is under way: the ticks meanwhile are skipped', async () => {
    const { logger } = recordingLogger();
    const held = heldSweep();
    sweeper = new IdleStreamSweeper({ sweep: held.sweep, intervalMs: INTERVAL, logger });
    sweeper.start();

    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(held.calls).toHaveLength(1);
    held.finish();
    await vi.advanceTimersByTimeAsync(INTERVAL);

    expect(held.calls).toHaveLength(2);
    held.finish();
  });

  it('logs a failed sweep as an error, throws nothing, and sweeps again at the next interval', async () => {
    const { logger, lines } = recordingLogger();
    const sweep = vi.fn<() => Promise<number>>().mockRejectedValueOnce(new Error('database away')).mockResolvedValue(2);
    sweeper = new IdleStreamSweeper({ sweep, intervalMs: INTERVAL, logger });
    sweeper.start();

    await vi.advanceTimersByTimeAsync(2 * INTERVAL);

    expect(sweep).toHaveBeenCalledTimes(2);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, 'the idle-stream sweep failed'],
      [30, 'marked 2 idle streams incomplete'],
    ]);
    expect(lines[0]?.err?.message).toBe('database away');
    expect(lines[1]?.marked).toBe(2);
  });

  it('logs nothing for a sweep that marked nothing', async () => {
    const { logger, lines } = recordingLogger();
    sweeper = new IdleStreamSweeper({ sweep: async () => 0, intervalMs: INTERVAL, logger });
    sweeper.start();

    await vi.advanceTimersByTimeAsync(3 * INTERVAL);

    expect(lines).toEqual([]);
  });

  it('when stopped, waits for the sweep under way to finish, and starts none after', async () => {
    const { logger } = recordingLogger();
    const held = heldSweep();
    sweeper = new IdleStreamSweeper({ sweep: held.sweep, intervalMs: INTERVAL, logger });
    sweeper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);

    let stopped = false;
    const stopping = sweeper.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(stopped).toBe(false);
    held.finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);

    expect(held.calls).toHaveLength(1);
  });

  it('sweeps every quarter of the idle timeout, and at least every 30 seconds', () => {
    expect(sweepIntervalMs(1_000)).toBe(250);
    expect(sweepIntervalMs(60_000)).toBe(15_000);
    expect(sweepIntervalMs(120_000)).toBe(30_000);
    expect(sweepIntervalMs(5 * 60_000)).toBe(30_000);
  });

  it('when stopped while a sweep is under way, the sweep is told to stop (its signal aborted) and is waited for', async () => {
    const { logger } = recordingLogger();
    let signal: AbortSignal | undefined;
    let finish: () => void = () => undefined;
    sweeper = new IdleStreamSweeper({
      sweep: (given) => {
        signal = given;
        return new Promise<number>((resolve) => {
          given.addEventListener('abort', () => {
            finish = () => resolve(0);
          });
        });
      },
      intervalMs: INTERVAL,
      logger,
    });
    sweeper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(signal?.aborted).toBe(false);

    let stopped = false;
    const stopping = sweeper.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(signal?.aborted).toBe(true);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });
});
