import type Router from '@koa/router';
import { createRouter } from './create-router.js';
import { UnavailableError } from '../../../domain/domain-error.js';
import type { HttpState } from '../http-state.js';

/**
 * What `/ready` asks, by the name an operator knows it by ("Database", "Redis"). A required
 * dependency that does not answer makes the instance unready; the others are only reported, so
 * that losing one (Redis: real time degrades, HTTP keeps working) never takes every instance out
 * of rotation at once.
 */
export type ReadinessChecks = Readonly<Record<string, { readonly required: boolean; readonly check: () => Promise<boolean> | boolean }>>;

/** Liveness (the process answers) and readiness (it can reach what it cannot work without). */
export const createOperationsRouter = (checks: ReadinessChecks): Router<HttpState> => {
  const router = createRouter();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    const entries = Object.entries(checks);
    const answers = await Promise.all(entries.map(async ([, { check }]) => (await Promise.resolve(check()).catch(() => false)) === true));
    const down = entries.filter(([, { required }], index) => required && !answers[index]).map(([name]) => name);
    if (down.length > 0) throw new UnavailableError(`${down.join(' and ')} unavailable`);
    ctx.body = {
      status: 'ready',
      ...Object.fromEntries(entries.map(([name], index) => [name.toLowerCase(), answers[index] ? 'up' : 'down'])),
    };
  });
  return router;
};
