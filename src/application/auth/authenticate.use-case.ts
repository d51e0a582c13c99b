import * as v from 'valibot';
import { invalidToken } from '../../domain/domain-error.js';
import type { Clock } from '../ports/clock.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { TokenIssuer } from '../ports/token-issuer.port.js';
import { tokenField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import type { Principal } from './principal.js';

const schema = v.object({ accessToken: tokenField }, 'must be an object');

export interface AuthenticateInput {
  accessToken: string;
}

/**
 * Turns an access token into the caller it stands for. A valid signature is not enough: the
 * token's login must still be live (logout ends it at once) and its user must exist and be active.
 * Every driving adapter (HTTP, WebSocket) goes through here, on every request: so it checks all
 * of that with one read of the login and its owner, and loads no entity.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly logins: LoginRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: AuthenticateInput): Promise<Principal> {
    let accessToken: string;
    try {
      ({ accessToken } = validate(schema, input));
    } catch {
      throw invalidToken();
    }
    const claims = this.tokens.verify('access', accessToken);
    const owner = await this.logins.findLiveOwner(claims.loginId, this.clock.now());
    // The claims are signed together, yet the login must still be one of the user they name.
    if (!owner || owner.userId !== claims.userId || !owner.isActive) throw invalidToken();
    return { userId: owner.userId, loginId: claims.loginId };
  }
}
