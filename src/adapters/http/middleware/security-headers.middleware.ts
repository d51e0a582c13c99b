import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * Headers that keep a browser from ever treating an API answer as a page: no sniffing, a CSP that
 * allows nothing, no framing. The docs page sets its own, looser CSP, so it is skipped here.
 */
export const securityHeaders = (): Middleware => {
  const apiHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  const docsHeaders = helmet({ contentSecurityPolicy: false });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/auth')) ctx.set('Cache-Control', 'no-store');
    const headers = ctx.path === '/docs' || ctx.path.startsWith('/docs/') ? docsHeaders : apiHeaders;
    return headers(ctx, next);
  };
};
