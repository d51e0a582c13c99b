import Router from '@koa/router';
import type { UseCases } from '../../../application/use-cases.js';
import { UnauthenticatedError } from '../../../domain/domain-error.js';
import type { HttpState } from '../http-state.js';
import { requirePrincipal } from '../middleware/require-principal.middleware.js';
import { presentTokenPair, presentUser } from '../presenters/resource.presenter.js';
import { bearerToken, bodyObject, clientOf, principalOf } from '../request-input.js';

export const createAuthRouter = (useCases: UseCases): Router<HttpState> => {
  const router = new Router<HttpState>({ prefix: '/auth' });
  const signedIn = requirePrincipal(useCases.authenticate);

  router.post('/register', async (ctx) => {
    const body = bodyObject(ctx);
    const { user, tokens } = await useCases.registerUser.execute({
      username: body.username as string,
      email: body.email as string,
      password: body.password as string,
      client: clientOf(ctx),
    });
    ctx.status = 201;
    ctx.body = { user: presentUser(user), ...presentTokenPair(tokens) };
  });

  router.post('/login', async (ctx) => {
    const body = bodyObject(ctx);
    const { user, tokens } = await useCases.logIn.execute({
      username: body.username as string,
      password: body.password as string,
      client: clientOf(ctx),
    });
    ctx.body = { user: presentUser(user), ...presentTokenPair(tokens) };
  });

  router.post('/refresh', async (ctx) => {
    const refreshToken = bearerToken(ctx) ?? bodyObject(ctx).refresh_token;
    if (refreshToken === undefined) throw new UnauthenticatedError('Missing refresh token', 'missing_token');
    const tokens = await useCases.refreshLogin.execute({ refreshToken: refreshToken as string });
    ctx.body = presentTokenPair(tokens);
  });

  router.post('/logout', signedIn, async (ctx) => {
    await useCases.logOut.execute(principalOf(ctx));
    ctx.body = { message: 'Logged out' };
  });

  router.post('/logout-all', signedIn, async (ctx) => {
    const { revoked } = await useCases.logOutEverywhere.execute({ userId: principalOf(ctx).userId });
    ctx.body = { message: 'Logged out everywhere', revoked };
  });

  router.get('/profile', signedIn, async (ctx) => {
    ctx.body = { user: presentUser(await useCases.getProfile.execute({ userId: principalOf(ctx).userId })) };
  });

  router.put('/profile', signedIn, async (ctx) => {
    const body = bodyObject(ctx);
    const { userId, loginId } = principalOf(ctx);
    const user = await useCases.updateProfile.execute({
      userId,
      loginId,
      username: body.username as string | undefined,
      email: body.email as string | undefined,
      password: body.password as string | undefined,
      currentPassword: body.current_password as string | undefined,
      client: clientOf(ctx),
    });
    ctx.body = { user: presentUser(user) };
  });

  router.delete('/profile', signedIn, async (ctx) => {
    const body = bodyObject(ctx);
    await useCases.deleteAccount.execute({
      userId: principalOf(ctx).userId,
      currentPassword: body.current_password as string,
      client: clientOf(ctx),
    });
    ctx.body = { message: 'Account deleted' };
  });

  return router;
};
