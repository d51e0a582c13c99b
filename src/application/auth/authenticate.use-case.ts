import * as v from 'valibot';
import { invalidToken } from '../../domain/domain-error.js';
import type { Clock } from '../ports/clock.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { TokenIssuer } from '../ports/token-issuer.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { validate } from '../validation/validate.js';
import type { Principal } from './principal.js';

const schema = v.object(
  { accessToken: v.pipe(v.string('is required'), v.minLength(1, 'is required'), v.maxLength(4096, 'is too long')) },
  'must be an object',
);

export interface AuthenticateInput {
  accessToken: string;
}

/**
 * Turns an access token into the caller it stands for. A valid signature is not enough: the
 * token's login must still be live (logout ends it at once) and its user must exist and be active.
 * Every driving adapter (HTTP, WebSocket) goes through here.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly logins: LoginRepository,
    private readonly users: UserRepository,
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
    const login = await this.logins.findById(claims.loginId);
    if (!login || login.userId !== claims.userId || !login.isLive(this.clock.now())) throw invalidToken();
    const user = await this.users.findById(claims.userId);
    if (!user || !user.isActive) throw invalidToken();
    return { userId: user.id, loginId: login.id };
  }
}
