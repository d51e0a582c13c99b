import type { Principal } from '../../application/auth/principal.js';
import type { Logger } from 'pino';

/** What the middleware puts on `ctx.state` for the handlers after it. */
export interface HttpState {
  requestId: string;
  log: Logger;
  /** Set by `requirePrincipal` on routes that need an access token. */
  principal?: Principal;
}
