import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import helmet, { type HelmetOptions } from 'helmet';

// Written out rather than built by helmet, which joins directives with ';' and no space: the header
// then reads exactly as API.md and the OpenAPI description state it.
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/**
 * The headers helmet sets with these options. None of them depends on the request, so helmet runs
 * once, here, against a response that only records them; each request then gets the list, without
 * helmet's chain of a dozen middlewares and a promise per request.
 */
const helmetHeaders = (options: HelmetOptions): HeaderList => {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, String(value)]),
    // X-Powered-By, which nothing here sets in the first place.
    removeHeader: () => {},
  } as unknown as ServerResponse;
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet's middleware is synchronous; if a version ever is not, the list above would be partial.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be read once');
  return headers;
};

/**
 * Headers that keep a browser from ever treating an API answer as a page: no sniffing, a CSP that
 * allows nothing, no framing. The docs page sets its own, looser CSP, so it gets helmet's defaults
 * without the API's CSP and framing rule.
 */
export const securityHeaders = (): Middleware => {
  // HSTS only where the request came over TLS (see below): over plain HTTP the header is ignored
  // by browsers and only misleads whoever reads the answers.
  const apiHeaders: HeaderList = [
    ['Content-Security-Policy', API_CSP],
    ...helmetHeaders({
      contentSecurityPolicy: false,
      strictTransportSecurity: false,
      crossOriginResourcePolicy: { policy: 'same-site' },
      // Agrees with the CSP's frame-ancestors 'none' for browsers that only read the old header.
      frameguard: { action: 'deny' },
    }),
  ];
  const docsHeaders = helmetHeaders({ contentSecurityPolicy: false, strictTransportSecurity: false });
  return (ctx, next) => {
    if (ctx.path.startsWith('/auth')) ctx.set('Cache-Control', 'no-store');
    // `secure` is true over TLS, or behind a trusted proxy that says it received HTTPS.
    if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const docs = ctx.path === '/docs' || ctx.path.startsWith('/docs/');
    for (const [name, value] of docs ? docsHeaders : apiHeaders) ctx.res.setHeader(name, value);
    return next();
  };
};
