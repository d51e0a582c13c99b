import { createHash, createSecretKey, type KeyObject } from 'node:crypto';

import jwt from 'jsonwebtoken';

import type { Clock } from '../../application/ports/clock.port.js';
import type { IdGenerator } from '../../application/ports/id-generator.port.js';
import type { IssuedToken, TokenClaims, TokenIssuer, TokenType } from '../../application/ports/token-issuer.port.js';
import { invalidToken } from '../../domain/domain-error.js';

export interface JwtTokenIssuerOptions {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  clock: Clock;
  idGenerator: IdGenerator;
}

/** Below this an HS256 key can be brute-forced offline from any one token (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;
const ALGORITHM = 'HS256';

/** Signs and checks the API's access and refresh tokens as HS256 JWTs. */
export class JwtTokenIssuer implements TokenIssuer {
  // A KeyObject, not the string: jsonwebtoken would otherwise first try to parse the string as a
  // PEM public key on every verify (and fail, at the cost of a thrown exception per request).
  private readonly key: KeyObject;
  private readonly issuer: string;
  private readonly audience: string;
  private readonly accessTtlSeconds: number;
  private readonly refreshTtlSeconds: number;
  private readonly clock: Clock;
  private readonly idGenerator: IdGenerator;

  constructor(options: JwtTokenIssuerOptions) {
    if (Buffer.byteLength(options.secret, 'utf8') < MIN_SECRET_BYTES) {
      throw new Error(`The token secret must be at least ${MIN_SECRET_BYTES} bytes long`);
    }
    if (options.issuer === '' || options.audience === '') {
      throw new Error('The token issuer and audience must not be empty');
    }
    for (const [name, ttl] of [
      ['accessTtlSeconds', options.accessTtlSeconds],
      ['refreshTtlSeconds', options.refreshTtlSeconds],
    ] as const) {
      if (!Number.isSafeInteger(ttl) || ttl <= 0) {
        throw new Error(`${name} must be a positive whole number of seconds`);
      }
    }
    this.key = createSecretKey(Buffer.from(options.secret, 'utf8'));
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.accessTtlSeconds = options.accessTtlSeconds;
    this.refreshTtlSeconds = options.refreshTtlSeconds;
    this.clock = options.clock;
    this.idGenerator = options.idGenerator;
  }

  get refreshLifetimeMs(): number {
    return this.refreshTtlSeconds * 1000;
  }

  issue(type: TokenType, subject: { userId: string; loginId: string }): IssuedToken {
    const ttl = type === 'access' ? this.accessTtlSeconds : this.refreshTtlSeconds;
    // Times come from the injected clock, never jsonwebtoken's Date.now(), so that issuing and
    // checking agree and tests can move time.
    const issuedAt = this.nowInSeconds();
    const token = jwt.sign(
      {
        sub: subject.userId,
        sid: subject.loginId,
        jti: this.idGenerator.uuid(),
        typ: type,
        iss: this.issuer,
        aud: this.audience,
        iat: issuedAt,
        exp: issuedAt + ttl,
      },
      this.key,
      { algorithm: ALGORITHM },
    );
    return { token, expiresInSeconds: ttl };
  }

  verify(type: TokenType, token: string): TokenClaims {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        clockTimestamp: this.nowInSeconds(),
      });
    } catch {
      // jsonwebtoken's messages tell an attacker which check failed; every refusal looks alike.
      throw invalidToken();
    }
    if (typeof payload !== 'object' || payload === null) {
      throw invalidToken();
    }
    const claims = payload as Record<string, unknown>;
    const { sub, sid, jti, typ, exp } = claims;
    // jsonwebtoken only checks `exp` when present; a token that never expires is not one we issued.
    if (
      typ !== type ||
      !isNonEmptyString(sub) ||
      !isNonEmptyString(sid) ||
      !isNonEmptyString(jti) ||
      typeof exp !== 'number' ||
      !Number.isFinite(exp)
    ) {
      throw invalidToken();
    }
    return { type, userId: sub, loginId: sid, tokenId: jti, expiresAt: new Date(exp * 1000) };
  }

  digest(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  }

  private nowInSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
