import Router from '@koa/router';
import { UnavailableError } from '../../../domain/domain-error.js';
import type { HttpState } from '../http-state.js';

/** Whether each dependency answers, by the name an operator knows it by ("Database", "Redis"). */
export type ReadinessChecks = Readonly<Record<string, () => Promise<boolean> | boolean>>;

/** Liveness (the process answers) and readiness (it can reach everything it depends on). */
export const createOperationsRouter = (checks: ReadinessChecks): Router<HttpState> => {
  const router = new Router<HttpState>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    const names = Object.keys(checks);
    const answers = await Promise.all(names.map(async (name) => (await Promise.resolve(checks[name]?.()).catch(() => false)) === true));
    const down = names.filter((_, index) => !answers[index]);
    if (down.length > 0) throw new UnavailableError(`${down.join(' and ')} unavailable`);
    ctx.body = { status: 'ready' };
  });
  return router;
};
