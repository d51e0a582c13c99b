import { fstatSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { serializeErrorSafely } from './safe-error-serializer.js';

export interface LoggerOptions {
  /** Readable lines for a person at a terminal, instead of JSON for a log collector. */
  readonly pretty?: boolean;
}

/**
 * JSON lines on stdout (or readable ones, for a terminal). Errors go through a serializer that
 * keeps database values out of the log, and secret-looking fields are redacted by path in case a
 * caller ever logs a request.
 */
export const createLogger = (level: string, options: LoggerOptions = {}): Logger => {
  const settings = {
    level,
    base: { service: 'chat-backend' },
    serializers: { err: (error: unknown) => serializeErrorSafely(error) },
    redact: {
      paths: ['password', 'current_password', 'token', 'access_token', 'refresh_token', '*.password', '*.token', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  if (!options.pretty) return writesSynchronously(1) ? pino(settings, fileDestination(1)) : pino(settings);
  // In this thread, not a transport's worker, so the last lines are out before the process ends.
  return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true, sync: true }));
};

/** Lines gathered before one write to a file: a busy server writes a few times a second, not per line. */
const FILE_BATCH_BYTES = 4096;
/** The longest a line waits for a quiet server's next write, so a person tailing the file sees it. */
export const FILE_FLUSH_MS = 200;

/**
 * One destination per file descriptor, shared by every logger on it: one buffer, so lines from two
 * loggers (an app's and a library caller's) keep their order, and one flush timer however many
 * apps a process composes.
 */
const fileDestinations = new Map<number, DestinationStream & { flushSync(): void }>();
// Whatever is still gathered is written as the process ends: a normal exit, `process.exit` (the
// server's second signal too) or an uncaught error. Only an end that runs no JavaScript, a SIGKILL,
// a signal nothing handles or an abort, loses what was gathered: up to 4 KiB, normally the last
// 200 ms of lines.
process.once('exit', () => {
  for (const destination of fileDestinations.values()) {
    try {
      destination.flushSync();
    } catch {
      // Nothing left to write to (the file is gone or full): the process ends all the same.
    }
  }
});

/** Lines to a file, written by the event loop's thread (see below), in batches. */
const fileDestination = (fd: number): DestinationStream => {
  let destination = fileDestinations.get(fd);
  if (!destination) {
    destination = pino.destination({ dest: fd, sync: true, minLength: FILE_BATCH_BYTES, periodicFlush: FILE_FLUSH_MS });
    fileDestinations.set(fd, destination);
  }
  return destination;
};

/**
 * Whether log lines to `fd` are written by the event loop's thread (in batches, `fileDestination`):
 * for a file, as Node writes its own stdout there. pino's default hands each write to libuv's
 * thread pool and back (a wake-up of a pool thread and of the event loop per write), which cost
 * more than a write to a file. To a pipe, a socket (a container runtime, journald) or a terminal,
 * lines stay asynchronous: a reader that stops reading must not stall the server.
 */
export const writesSynchronously = (fd: number): boolean => {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
};
