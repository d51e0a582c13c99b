import Router from '@koa/router';
import { UnavailableError } from '../../../domain/domain-error.js';
import type { HttpState } from '../http-state.js';

/** Liveness (the process answers) and readiness (it can reach its database). */
export const createOperationsRouter = (isReady: () => Promise<boolean>): Router<HttpState> => {
  const router = new Router<HttpState>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    if (!(await isReady().catch(() => false))) throw new UnavailableError('Database unavailable');
    ctx.body = { status: 'ready' };
  });
  return router;
};
