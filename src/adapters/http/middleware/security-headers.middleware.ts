import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

// Written out rather than built by helmet, which joins directives with ';' and no space: the header
// then reads exactly as API.md and the OpenAPI description state it.
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers that keep a browser from ever treating an API answer as a page: no sniffing, a CSP that
 * allows nothing, no framing. The docs page sets its own, looser CSP, so it is skipped here.
 */
export const securityHeaders = (): Middleware => {
  // HSTS only where the request came over TLS (see below): over plain HTTP the header is ignored
  // by browsers and only misleads whoever reads the answers.
  const apiHeaders = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Agrees with the CSP's frame-ancestors 'none' for browsers that only read the old header.
    frameguard: { action: 'deny' },
  });
  const docsHeaders = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/auth')) ctx.set('Cache-Control', 'no-store');
    // `secure` is true over TLS, or behind a trusted proxy that says it received HTTPS.
    if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const docs = ctx.path === '/docs' || ctx.path.startsWith('/docs/');
    if (!docs) ctx.set('Content-Security-Policy', API_CSP);
    return (docs ? docsHeaders : apiHeaders)(ctx, next);
  };
};
