import { Login } from '../../domain/login.entity.js';
import type { Clock } from '../ports/clock.port.js';
import type { IdGenerator } from '../ports/id-generator.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { TokenIssuer } from '../ports/token-issuer.port.js';
import { tokenPair, type TokenPair } from './token-pair.js';

/**
 * Starts a login for a user who has just proved who they are (register, log in) and hands out its
 * first token pair. Shared by those use cases so both open logins the same way.
 */
export class LoginOpener {
  constructor(
    private readonly logins: LoginRepository,
    private readonly tokens: TokenIssuer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async open(userId: string, client: { address: string | null; userAgent: string | null }): Promise<TokenPair> {
    const loginId = this.ids.uuid();
    const refresh = this.tokens.issue('refresh', { userId, loginId });
    await this.logins.add(
      Login.open({
        id: loginId,
        userId,
        refreshTokenHash: this.tokens.digest(refresh.token),
        now: this.clock.now(),
        lifetimeMs: this.tokens.refreshLifetimeMs,
        userAgent: client.userAgent,
        address: client.address,
      }),
    );
    const access = this.tokens.issue('access', { userId, loginId });
    return tokenPair(access, refresh);
  }
}
