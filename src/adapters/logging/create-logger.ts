import pino, { type Logger } from 'pino';
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
  // Each line written by this thread as it is logged, the way Node writes stdout on Linux (files
  // and pipes alike). pino's default hands every write to libuv's thread pool and back, which wakes
  // a pool thread and the event loop per line and cost more than the write itself. The price: a
  // reader that stops reading stalls the server, rather than unwritten lines piling up in memory.
  if (!options.pretty) return pino(settings, pino.destination({ dest: 1, sync: true }));
  // In this thread, not a transport's worker, so the last lines are out before the process ends.
  return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true, sync: true }));
};
