import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpState } from '../http-state.js';

// Accept a caller's id only if it is short and plain, so it cannot forge log lines.
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * A request's state as this middleware starts it. Its own logger is made only when something logs
 * through it: most requests log just the request line, and a child logger per request cost more
 * than that line. A getter on the class rather than one defined on each request's object, which
 * costs a property definition (and a slower object) per request.
 */
class RequestState implements HttpState {
  principal?: HttpState['principal'];
  readonly #logger: Logger;
  #log: Logger | undefined;

  constructor(
    logger: Logger,
    readonly requestId: string,
  ) {
    this.#logger = logger;
  }

  get log(): Logger {
    return (this.#log ??= this.#logger.child({ requestId: this.requestId }));
  }
}

/**
 * Gives each request an id (the caller's `X-Request-Id` or a new one), echoes it, and logs one line
 * when the response is done: method, path, status, time. Never the query, headers or body, which
 * may hold tokens, passwords or message text.
 */
export const requestLog = (logger: Logger): Middleware<HttpState> => {
  // The request line holds only the five fields built below, none of them secret, so it skips the
  // redaction pass the root logger runs over every field of every line (its wildcard paths send
  // each value through the redactor): half of what logging the line cost.
  const lines = logger.child({}, { redact: [] });
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const offered = ctx.get('X-Request-Id');
    const requestId = SAFE_REQUEST_ID.test(offered) ? offered : randomUUID();
    ctx.state = new RequestState(logger, requestId);
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
      if (ctx.status >= 500) lines.error(line, 'request');
      else lines.info(line, 'request');
    }
  };
};
