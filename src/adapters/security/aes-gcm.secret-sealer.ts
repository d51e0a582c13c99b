import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import type { SecretSealer } from '../../application/ports/secret-sealer.port.js';

/** Below this the key could be guessed offline from any one sealed value (its tag checks a guess). */
const MIN_SECRET_BYTES = 32;
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
// GCM's recommended nonce size; random nonces of 96 bits stay safe far beyond the number of
// rotations one key will ever seal (NIST SP 800-38D: 2^32 messages per key).
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The format's version, first in every sealed value, so a later format can still open this one. */
const VERSION = 'v1';
/**
 * HKDF's `info`: the key is for this purpose only. The same SECRET_KEY may later feed other keys
 * (with other labels), and none of them could open what this one sealed.
 */
const KEY_PURPOSE = 'chat-backend/secret-sealer/aes-256-gcm/v1';

/**
 * Authenticated encryption with AES-256-GCM under a key derived (HKDF-SHA-256) from the
 * configured secret. A sealed value is `v1.<base64url(nonce | ciphertext | tag)>`; the context is
 * the additional authenticated data, so it is checked on opening but not stored.
 */
export class AesGcmSecretSealer implements SecretSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
      throw new Error(`The sealing secret must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), KEY_PURPOSE, KEY_BYTES));
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(sealed: string, context: string): string | null {
    const [version, body, ...rest] = sealed.split('.');
    if (version !== VERSION || body === undefined || rest.length > 0) return null;
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) return null;
    const nonce = bytes.subarray(0, NONCE_BYTES);
    const ciphertext = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // final() throws when the tag does not match: altered, another key or another context.
      return null;
    }
  }
}
