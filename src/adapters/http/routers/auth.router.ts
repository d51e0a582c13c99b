import type Router from '@koa/router';
import { createRouter } from './create-router.js';
import type { UseCases } from '../../../application/use-cases.js';
import { UnauthenticatedError } from '../../../domain/domain-error.js';
import type { HttpState } from '../http-state.js';
import { requirePrincipal } from '../middleware/require-principal.middleware.js';
import { presentTokenPair, presentUser } from '../presenters/resource.presenter.js';
import type { ResponseBody } from '../presenters/response-bodies.js';
import { bearerToken, clientOf, parseBody, principalOf } from '../request-input.js';
import {
  deleteAccountRequest,
  loginRequest,
  refreshRequest,
  registerRequest,
  updateProfileRequest,
} from '../request-schemas.js';

export const createAuthRouter = (useCases: UseCases): Router<HttpState> => {
  const router = createRouter('/auth');
  const signedIn = requirePrincipal(useCases.authenticate);

  router.post('/register', async (ctx) => {
    const { username, email, password } = parseBody(ctx, registerRequest);
    const { user, tokens } = await useCases.registerUser.execute({ username, email, password, client: clientOf(ctx) });
    ctx.status = 201;
    ctx.body = { user: presentUser(user), ...presentTokenPair(tokens) } satisfies ResponseBody<'AuthResult'>;
  });

  router.post('/login', async (ctx) => {
    const { username, password } = parseBody(ctx, loginRequest);
    const { user, tokens } = await useCases.logIn.execute({ username, password, client: clientOf(ctx) });
    ctx.body = { user: presentUser(user), ...presentTokenPair(tokens) } satisfies ResponseBody<'AuthResult'>;
  });

  router.post('/refresh', async (ctx) => {
    // The bearer header wins; the body is read only when there is none.
    const refreshToken = bearerToken(ctx) ?? parseBody(ctx, refreshRequest).refresh_token;
    if (refreshToken === undefined) throw new UnauthenticatedError('Missing refresh token', 'missing_token');
    const tokens = await useCases.refreshLogin.execute({ refreshToken });
    ctx.body = presentTokenPair(tokens) satisfies ResponseBody<'TokenPair'>;
  });

  router.post('/logout', signedIn, async (ctx) => {
    await useCases.logOut.execute(principalOf(ctx));
    ctx.body = { message: 'Logged out' } satisfies ResponseBody<'Notice'>;
  });

  router.post('/logout-all', signedIn, async (ctx) => {
    const { revoked } = await useCases.logOutEverywhere.execute({ userId: principalOf(ctx).userId });
    ctx.body = { message: 'Logged out everywhere', revoked } satisfies ResponseBody<'LogoutAllResult'>;
  });

  router.get('/profile', signedIn, async (ctx) => {
    const user = await useCases.getProfile.execute({ userId: principalOf(ctx).userId });
    ctx.body = { user: presentUser(user) } satisfies ResponseBody<'UserResult'>;
  });

  router.put('/profile', signedIn, async (ctx) => {
    const changes = parseBody(ctx, updateProfileRequest);
    const { userId, loginId } = principalOf(ctx);
    const user = await useCases.updateProfile.execute({
      userId,
      loginId,
      username: changes.username,
      email: changes.email,
      password: changes.password,
      currentPassword: changes.current_password,
      client: clientOf(ctx),
    });
    ctx.body = { user: presentUser(user) } satisfies ResponseBody<'UserResult'>;
  });

  router.delete('/profile', signedIn, async (ctx) => {
    const { current_password: currentPassword } = parseBody(ctx, deleteAccountRequest);
    await useCases.deleteAccount.execute({ userId: principalOf(ctx).userId, currentPassword, client: clientOf(ctx) });
    ctx.body = { message: 'Account deleted' } satisfies ResponseBody<'Notice'>;
  });

  return router;
};
