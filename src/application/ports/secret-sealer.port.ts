/**
 * Seals text that must be stored but never be readable or usable by whoever reads the storage (a
 * token pair kept for the refresh grace window). Sealed text opens only with this sealer's key and
 * only for the `context` it was sealed for, so a sealed value copied to another record is useless.
 */
export interface SecretSealer {
  seal(plaintext: string, context: string): string;
  /** The plaintext, or null when `sealed` was altered, sealed with another key, or for another context. */
  open(sealed: string, context: string): string | null;
}

export const SecretSealer = Symbol.for('chat-backend.SecretSealer');
