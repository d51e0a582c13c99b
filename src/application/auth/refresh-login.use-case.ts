import * as v from 'valibot';
import { invalidToken, UnauthenticatedError } from '../../domain/domain-error.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { TokenIssuer } from '../ports/token-issuer.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { tokenField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { tokenPair, type TokenPair } from './token-pair.js';

const schema = v.object({ refreshToken: tokenField }, 'must be an object');

export interface RefreshLoginInput {
  refreshToken: string;
}

const reuseDetected = (): UnauthenticatedError =>
  new UnauthenticatedError('Refresh token was already used; the login has been revoked', 'token_reused');

/**
 * Trades a refresh token for a new pair and spends it. A token that was already spent means two
 * parties hold it, so the whole login ends: the thief's tokens and the owner's alike.
 */
export class RefreshLogin {
  constructor(
    private readonly logins: LoginRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async execute(input: RefreshLoginInput): Promise<TokenPair> {
    const { refreshToken } = validate(schema, input);
    const claims = this.tokens.verify('refresh', refreshToken);
    const login = await this.logins.findById(claims.loginId);
    if (!login || login.userId !== claims.userId) throw invalidToken();
    const user = await this.users.findById(claims.userId);
    if (!user || !user.isActive) throw invalidToken();

    const now = this.clock.now();
    const presentedHash = this.tokens.digest(refreshToken);
    const previousHash = login.refreshTokenHash;
    const next = this.tokens.issue('refresh', { userId: user.id, loginId: login.id });
    const outcome = login.rotate(presentedHash, this.tokens.digest(next.token), now, this.tokens.refreshLifetimeMs);

    if (outcome === 'ended') throw invalidToken();
    if (outcome === 'reused') return this.revokeForReuse(login.id, user.id);
    // Another request spent the same token between our read and this write: that is reuse too.
    if (!(await this.logins.saveRotation(login, previousHash))) return this.revokeForReuse(login.id, user.id);

    const access = this.tokens.issue('access', { userId: user.id, loginId: login.id });
    return tokenPair(access, next);
  }

  private async revokeForReuse(loginId: string, userId: string): Promise<never> {
    // Reload so the revocation is written over the stored state, not over our rotated copy. Of
    // several requests that detect the reuse at once, only the one that revokes announces it.
    const login = await this.logins.findById(loginId);
    if (login) {
      login.revoke(this.clock.now());
      if (await this.logins.saveRevocation(login)) {
        await this.events.publish({ type: 'logins.ended', userId, loginIds: [loginId] });
      }
    }
    throw reuseDetected();
  }
}
