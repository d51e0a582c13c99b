import pino, { type Logger } from 'pino';

/** JSON lines on stdout. Secrets are redacted by path in case a caller ever logs a request. */
export const createLogger = (level: string): Logger =>
  pino({
    level,
    base: { service: 'chat-backend' },
    redact: {
      paths: ['password', 'current_password', 'token', 'access_token', 'refresh_token', '*.password', '*.token', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
