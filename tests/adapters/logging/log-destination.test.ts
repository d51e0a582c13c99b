import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writesSynchronously } from '../../../src/adapters/logging/create-logger.js';

describe('where log lines are written synchronously', () => {
  const opened: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
  afterEach(() => {
    for (const fd of opened.splice(0)) closeSync(fd);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const open = (path: string, flags: string): number => {
    const fd = openSync(path, flags);
    opened.push(fd);
    return fd;
  };

  it('when stdout is a file, lines are written by the event loop itself (in batches)', () => {
    expect(writesSynchronously(open(join(dir, 'server.log'), 'a'))).toBe(true);
  });

  it('when stdout is a pipe, lines stay asynchronous, so a reader that stops reading cannot stall the server', () => {
    const fifo = join(dir, 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    // Read-write, so that opening it does not wait for a reader (Linux allows this on a FIFO).
    expect(writesSynchronously(open(fifo, 'r+'))).toBe(false);
  });

  it('when stdout is a character device that is not a terminal (/dev/null), lines stay asynchronous', () => {
    expect(writesSynchronously(open('/dev/null', 'w'))).toBe(false);
  });

  it('when stdout is no open descriptor at all, lines stay asynchronous rather than the logger failing to start', () => {
    // Far above any descriptor limit, so no other test's file can hold this number.
    expect(writesSynchronously(2 ** 30)).toBe(false);
  });
});
