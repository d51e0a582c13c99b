import * as v from 'valibot';
import type { SecretSealer } from '../ports/secret-sealer.port.js';

/** What is sealed: the pair's two tokens. The rest of a `TokenPair` is worked out again on opening. */
const sealedTokensSchema = v.object({ accessToken: v.string(), refreshToken: v.string() });

export type SealedTokens = v.InferOutput<typeof sealedTokensSchema>;

/**
 * The pair is sealed for one login and for the one spent token it answers: a sealed value copied
 * into another login's row, or kept past the next rotation, does not open.
 */
const contextOf = (loginId: string, spentTokenHash: string): string => `refresh-grace-pair:${loginId}:${spentTokenHash}`;

/**
 * The token pair a rotation handed out, as the login keeps it for the grace window: sealed, so
 * that whoever reads the database cannot use it.
 */
export class SealedTokenPair {
  constructor(private readonly sealer: SecretSealer) {}

  seal(loginId: string, spentTokenHash: string, tokens: SealedTokens): string {
    const plaintext = JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    return this.sealer.seal(plaintext, contextOf(loginId, spentTokenHash));
  }

  /** The tokens, or null when the sealed value does not open (another key, another login or token, altered). */
  open(loginId: string, spentTokenHash: string, sealed: string): SealedTokens | null {
    const plaintext = this.sealer.open(sealed, contextOf(loginId, spentTokenHash));
    if (plaintext === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(plaintext);
    } catch {
      return null;
    }
    const result = v.safeParse(sealedTokensSchema, parsed);
    return result.success ? result.output : null;
  }
}
