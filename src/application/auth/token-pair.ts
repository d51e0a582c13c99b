import type { IssuedToken } from '../ports/token-issuer.port.js';

/** What a client keeps after register, login and refresh. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds the access token has left to live (all of its lifetime, unless the pair is handed out again). */
  readonly expiresIn: number;
}

export const tokenPair = (access: IssuedToken, refresh: Pick<IssuedToken, 'token'>): TokenPair => ({
  accessToken: access.token,
  refreshToken: refresh.token,
  tokenType: 'Bearer',
  expiresIn: access.expiresInSeconds,
});
