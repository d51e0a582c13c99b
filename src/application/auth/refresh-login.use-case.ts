import * as v from 'valibot';
import { invalidToken, UnauthenticatedError } from '../../domain/domain-error.js';
import type { Login } from '../../domain/login.entity.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventPublisher } from '../ports/event-publisher.port.js';
import type { LoginRepository } from '../ports/login-repository.port.js';
import type { SecretSealer } from '../ports/secret-sealer.port.js';
import type { TokenIssuer } from '../ports/token-issuer.port.js';
import type { TransactionRunner } from '../ports/transaction-runner.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { tokenField } from '../validation/fields.js';
import { validate } from '../validation/validate.js';
import { SealedTokenPair } from './sealed-token-pair.js';
import { tokenPair, type TokenPair } from './token-pair.js';

const schema = v.object({ refreshToken: tokenField }, 'must be an object');

export interface RefreshLoginInput {
  refreshToken: string;
}

export interface RefreshLoginSettings {
  /** How long the token a rotation spent still gets that rotation's pair; 0 is strict. */
  readonly reuseGraceMs: number;
}

/** How presenting the token ended, decided while the login was held. */
type Presented = { readonly pair: TokenPair } | { readonly reusedBy: { userId: string; loginId: string; announce: boolean } };

const reuseDetected = (): UnauthenticatedError =>
  new UnauthenticatedError('Refresh token was already used; the login has been revoked', 'token_reused');

/**
 * Trades a refresh token for a new pair and spends it. A token that was already spent means two
 * parties hold it, so the whole login ends: the thief's tokens and the owner's alike. Except inside
 * the grace window: the token the last rotation spent, presented again shortly after (two tabs
 * refreshing at once), gets that rotation's pair, the same tokens, so every tab stays signed in.
 */
export class RefreshLogin {
  private readonly sealedPairs: SealedTokenPair;

  constructor(
    private readonly logins: LoginRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenIssuer,
    sealer: SecretSealer,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly events: EventPublisher,
    private readonly settings: RefreshLoginSettings,
  ) {
    this.sealedPairs = new SealedTokenPair(sealer);
  }

  async execute(input: RefreshLoginInput): Promise<TokenPair> {
    const { refreshToken } = validate(schema, input);
    const claims = this.tokens.verify('refresh', refreshToken);
    const presentedHash = this.tokens.digest(refreshToken);

    // The login is held from the read to the commit: of requests presenting one token at once, the
    // first rotates, and each of the others, let in after it commits, finds the token just spent
    // with its pair sealed beside it. Without the hold, two could both read it unspent.
    const presented = await this.transactions.run(() => this.present(claims, presentedHash));
    if ('pair' in presented) return presented.pair;

    // Announced after the revocation is committed, and only by the request that stored it.
    const { userId, loginId, announce } = presented.reusedBy;
    if (announce) await this.events.publish({ type: 'logins.ended', userId, loginIds: [loginId] });
    throw reuseDetected();
  }

  private async present(claims: { userId: string; loginId: string }, presentedHash: string): Promise<Presented> {
    const login = await this.logins.findByIdForUpdate(claims.loginId);
    if (!login || login.userId !== claims.userId) throw invalidToken();
    const user = await this.users.findById(claims.userId);
    if (!user || !user.isActive) throw invalidToken();

    const now = this.clock.now();
    switch (login.recognize(presentedHash, now)) {
      case 'ended':
        throw invalidToken();
      case 'replay':
        return { pair: this.replay(login, presentedHash, now) };
      case 'reused':
        login.revoke(now);
        return { reusedBy: { userId: login.userId, loginId: login.id, announce: await this.logins.saveRevocation(login) } };
      case 'current':
        return { pair: await this.rotate(login, presentedHash, now) };
    }
  }

  private async rotate(login: Login, presentedHash: string, now: Date): Promise<TokenPair> {
    const subject = { userId: login.userId, loginId: login.id };
    const access = this.tokens.issue('access', subject);
    const refresh = this.tokens.issue('refresh', subject);
    const pair = tokenPair(access, refresh);
    const graceMs = this.settings.reuseGraceMs;
    const sealedPair = graceMs > 0 ? this.sealedPairs.seal(login.id, presentedHash, pair) : null;

    const outcome = login.rotate(presentedHash, { tokenHash: this.tokens.digest(refresh.token), sealedPair }, now, {
      lifetimeMs: this.tokens.refreshLifetimeMs,
      graceMs,
    });
    // Held since it was read, the login cannot have changed: anything else is a broken hold, and
    // a pair that was not stored must not be handed out.
    if (outcome !== 'rotated' || !(await this.logins.saveRotation(login, presentedHash))) throw invalidToken();
    return pair;
  }

  /** The pair the last rotation handed out, again: the same tokens, the access token's remaining life. */
  private replay(login: Login, presentedHash: string, now: Date): TokenPair {
    const sealed = login.sealedPairAt(now);
    const tokens = sealed === null ? null : this.sealedPairs.open(login.id, presentedHash, sealed);
    // A pair that does not open (SECRET_KEY changed since it was sealed) cannot be handed out. That
    // is no sign of a copied token, so the login goes on; this caller signs in again.
    if (!tokens) throw invalidToken();
    const { expiresAt } = this.tokens.verify('access', tokens.accessToken);
    const expiresInSeconds = Math.ceil((expiresAt.getTime() - now.getTime()) / 1000);
    return tokenPair({ token: tokens.accessToken, expiresInSeconds }, { token: tokens.refreshToken });
  }
}
