import type { IssuedToken } from '../ports/token-issuer.port.js';

/** What a client keeps after register, login and refresh. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds the access token lives. */
  readonly expiresIn: number;
}

export const tokenPair = (access: IssuedToken, refresh: IssuedToken): TokenPair => ({
  accessToken: access.token,
  refreshToken: refresh.token,
  tokenType: 'Bearer',
  expiresIn: access.expiresInSeconds,
});
