export type TokenType = 'access' | 'refresh';

/** What a verified token says: whose it is (`sub`), which login it belongs to (`sid`). */
export interface TokenClaims {
  readonly type: TokenType;
  readonly userId: string;
  readonly loginId: string;
  readonly tokenId: string;
  readonly expiresAt: Date;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

export interface TokenIssuer {
  issue(type: TokenType, subject: { userId: string; loginId: string }): IssuedToken;
  /**
   * Checks signature, algorithm, issuer, audience, expiry and that the token is of `type`.
   * Throws `UnauthenticatedError` for any token it does not accept.
   */
  verify(type: TokenType, token: string): TokenClaims;
  /** A one-way digest of a token, for storing it without being able to replay it. */
  digest(token: string): string;
  /** How long a refresh token, and so an idle login, lives. */
  readonly refreshLifetimeMs: number;
}

export const TokenIssuer = Symbol.for('chat-backend.TokenIssuer');
