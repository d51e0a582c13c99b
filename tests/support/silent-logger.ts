import pino from 'pino';

/** A logger that writes nothing, for adapters under test. */
export const silentLogger = pino({ level: 'silent' });
