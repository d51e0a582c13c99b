import type { Middleware } from 'koa';
import type { Authenticate } from '../../../application/auth/authenticate.use-case.js';
import { UnauthenticatedError } from '../../../domain/domain-error.js';
import type { HttpState } from '../http-state.js';
import { bearerToken } from '../request-input.js';

/** Lets a request through only with a live access token, and records whose it is. */
export const requirePrincipal = (authenticate: Authenticate): Middleware<HttpState> => async (ctx, next) => {
  const accessToken = bearerToken(ctx);
  if (!accessToken) {
    ctx.set('WWW-Authenticate', 'Bearer');
    throw new UnauthenticatedError('Missing access token', 'missing_token');
  }
  ctx.state.principal = await authenticate.execute({ accessToken });
  return next();
};
