export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Never throws for a mismatch; answers false. */
  verify(password: string, hash: string): Promise<boolean>;
}

export const PasswordHasher = Symbol.for('chat-backend.PasswordHasher');
