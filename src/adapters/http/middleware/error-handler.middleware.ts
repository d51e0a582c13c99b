import type { Middleware } from 'koa';
import { DomainError, RateLimitedError, UnavailableError, ValidationError } from '../../../domain/domain-error.js';
import { HttpProblem } from '../http-problem.js';
import type { HttpState } from '../http-state.js';
import type { ResponseBody } from '../presenters/response-bodies.js';
import { statusForErrorKind } from '../status-for-error.js';

type ErrorBody = ResponseBody<'Error'>;

/**
 * An error Koa or the router throws with status 400 (a path it cannot decode, say). Body problems
 * already arrive as `HttpProblem`s; only errors that say they are the client's count, so a
 * SyntaxError from a bug stays a 500.
 */
const transportProblem = (error: unknown): HttpProblem | null =>
  error instanceof Error && (error as { status?: unknown }).status === 400
    ? new HttpProblem(400, 'Bad request', 'bad_request')
    : null;

/**
 * Turns every failure into the API's error shape. Domain errors map by kind; anything unexpected
 * is a bug: the client learns nothing about it, the log gets all of it.
 */
export const errorHandler = (): Middleware<HttpState> => async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    let status: number;
    let body: ErrorBody;
    const problem = error instanceof HttpProblem ? error : transportProblem(error);
    if (error instanceof DomainError) {
      status = statusForErrorKind(error.kind);
      body = { error: error.message, code: error.code };
      if (error instanceof ValidationError) body.details = [...error.details];
      if (error instanceof RateLimitedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      if (error instanceof UnavailableError) {
        ctx.set('Retry-After', String(error.retryAfterSeconds));
        ctx.state.log?.warn({ err: error.cause ?? error }, 'dependency unavailable');
      }
    } else if (problem) {
      status = problem.status;
      body = { error: problem.message, code: problem.code };
      if (problem.details) body.details = [...problem.details];
    } else {
      status = 500;
      body = { error: 'Internal server error', code: 'internal' };
      ctx.state.log?.error({ err: error }, 'unhandled error');
    }
    ctx.status = status;
    ctx.body = body;
  }
};
