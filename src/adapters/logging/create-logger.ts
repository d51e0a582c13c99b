import pino, { type Logger } from 'pino';
import { serializeErrorSafely } from './safe-error-serializer.js';

/**
 * JSON lines on stdout. Errors go through a serializer that keeps database values out of the log,
 * and secret-looking fields are redacted by path in case a caller ever logs a request.
 */
export const createLogger = (level: string): Logger =>
  pino({
    level,
    base: { service: 'chat-backend' },
    serializers: { err: (error: unknown) => serializeErrorSafely(error) },
    redact: {
      paths: ['password', 'current_password', 'token', 'access_token', 'refresh_token', '*.password', '*.token', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
