import Router from '@koa/router';
import type { HttpState } from '../http-state.js';

/** Liveness (the process answers) and readiness (it can reach its database). */
export const createOperationsRouter = (isReady: () => Promise<boolean>): Router<HttpState> => {
  const router = new Router<HttpState>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    const ready = await isReady().catch(() => false);
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ready' } : { error: 'Database unavailable', code: 'unavailable' };
  });
  return router;
};
