import bcrypt from 'bcrypt';

import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';

/** bcrypt reads no further than this; longer passwords would be silently truncated. */
const MAX_PASSWORD_BYTES = 72;

/**
 * Hashes passwords with bcrypt's asynchronous API, which runs on the libuv thread pool so a login
 * storm never blocks the event loop.
 */
export class BcryptPasswordHasher implements PasswordHasher {
  constructor(private readonly rounds: number) {
    // bcrypt's own bounds: below 4 it refuses, above 31 the cost no longer fits the hash format.
    if (!Number.isInteger(rounds) || rounds < 4 || rounds > 31) {
      throw new Error('bcrypt rounds must be a whole number from 4 to 31');
    }
  }

  async hash(password: string): Promise<string> {
    // The use cases validate first; this guards any other caller against silent truncation,
    // which would make every password sharing the first 72 bytes equivalent.
    if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
      throw new Error(`A password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8`);
    }
    return bcrypt.hash(password, this.rounds);
  }

  async verify(password: string, hash: string): Promise<boolean> {
    if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
      return false;
    }
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      // A corrupt stored hash means "no match", not a 500 on the login route.
      return false;
    }
  }
}
