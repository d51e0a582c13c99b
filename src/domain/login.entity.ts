export interface LoginState {
  id: string;
  userId: string;
  /** Digest of the one refresh token of this login that may still be spent. */
  refreshTokenHash: string;
  /**
   * Digest of the refresh token the last rotation spent: the one token that, presented again
   * inside the grace window, is answered with that rotation's pair instead of counting as reuse.
   */
  previousRefreshTokenHash: string | null;
  /**
   * The pair the last rotation handed out, sealed (opaque here: only the application's sealer
   * opens it), kept for the grace window alone.
   */
  sealedPair: string | null;
  /** When the grace window closes: from this instant on the sealed pair is never handed out. */
  sealedPairExpiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
  address: string | null;
}

/** What presenting a refresh token means for a login, before anything is changed. */
export type Presentation =
  /** The one token that may be spent now. */
  | 'current'
  /**
   * The token the last rotation spent, again inside its grace window: two tabs refreshed at once,
   * and the later one is owed the pair the earlier one got.
   */
  | 'replay'
  /** A spent token outside its window (or one never issued): someone holds a copy. */
  | 'reused'
  /** The login was already revoked or has expired. */
  | 'ended';

export type RotationOutcome =
  /** The presented token was the current one; the login now expects the next one. */
  | 'rotated'
  /** The presented token is the one just spent, inside its window: nothing changes. */
  | 'replay'
  /** A spent token came back: someone holds a copy. The login revoked itself. */
  | 'reused'
  /** The login was already revoked or has expired. */
  | 'ended';

/** What one rotation leaves behind: the next token's digest and, for the grace window, its pair. */
export interface NextRefresh {
  readonly tokenHash: string;
  /** The pair handed out by this rotation, sealed; null keeps no pair (no grace window). */
  readonly sealedPair: string | null;
}

export interface RotationPolicy {
  /** How long each rotation extends the login. */
  readonly lifetimeMs: number;
  /** How long the spent token may still be presented for the sealed pair; 0 is strict. */
  readonly graceMs: number;
}

/**
 * One signed-in device: the family of refresh tokens descended from one login. Only the latest
 * token of the family may be spent; presenting an older one means it was copied, so the whole
 * family is revoked (the thief's and the owner's tokens alike). The one exception is the grace
 * window: the token spent by the last rotation, presented again shortly after, is answered with
 * that rotation's pair, because two tabs of one browser refresh with the same token at once.
 */
export class Login implements LoginState {
  id!: string;
  userId!: string;
  refreshTokenHash!: string;
  previousRefreshTokenHash!: string | null;
  sealedPair!: string | null;
  sealedPairExpiresAt!: Date | null;
  createdAt!: Date;
  lastUsedAt!: Date;
  expiresAt!: Date;
  revokedAt!: Date | null;
  userAgent!: string | null;
  address!: string | null;

  private constructor(state: LoginState) {
    Object.assign(this, state);
  }

  static open(input: {
    id: string;
    userId: string;
    refreshTokenHash: string;
    now: Date;
    lifetimeMs: number;
    userAgent?: string | null;
    address?: string | null;
  }): Login {
    return new Login({
      id: input.id,
      userId: input.userId,
      refreshTokenHash: input.refreshTokenHash,
      previousRefreshTokenHash: null,
      sealedPair: null,
      sealedPairExpiresAt: null,
      createdAt: input.now,
      lastUsedAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.lifetimeMs),
      revokedAt: null,
      userAgent: input.userAgent ?? null,
      address: input.address ?? null,
    });
  }

  static restore(state: LoginState): Login {
    return new Login({ ...state });
  }

  isLive(now: Date): boolean {
    return this.revokedAt === null && now.getTime() < this.expiresAt.getTime();
  }

  /**
   * The sealed pair of the last rotation while its window is open; null from the instant it closes
   * (an expiry, like the login's own, is exclusive), and null on a login that is no longer live.
   */
  sealedPairAt(now: Date): string | null {
    if (!this.isLive(now) || this.sealedPair === null || this.sealedPairExpiresAt === null) return null;
    return now.getTime() < this.sealedPairExpiresAt.getTime() ? this.sealedPair : null;
  }

  /** What presenting the token with digest `tokenHash` at `now` means. Changes nothing. */
  recognize(tokenHash: string, now: Date): Presentation {
    if (!this.isLive(now)) return 'ended';
    if (tokenHash === this.refreshTokenHash) return 'current';
    if (tokenHash === this.previousRefreshTokenHash && this.sealedPairAt(now) !== null) return 'replay';
    return 'reused';
  }

  /**
   * Spends the presented refresh token and makes `next.tokenHash` the only one that may be spent
   * next, keeping `next.sealedPair` for the grace window. Each rotation extends the login by
   * `policy.lifetimeMs`, so an active device stays signed in. Anything but the current token changes
   * nothing, except reuse, which revokes the login.
   */
  rotate(presentedTokenHash: string, next: NextRefresh, now: Date, policy: RotationPolicy): RotationOutcome {
    const presentation = this.recognize(presentedTokenHash, now);
    if (presentation === 'reused') {
      this.revoke(now);
      return 'reused';
    }
    if (presentation !== 'current') return presentation;
    this.previousRefreshTokenHash = presentedTokenHash;
    this.refreshTokenHash = next.tokenHash;
    const keepsPair = next.sealedPair !== null && policy.graceMs > 0;
    this.sealedPair = keepsPair ? next.sealedPair : null;
    this.sealedPairExpiresAt = keepsPair ? new Date(now.getTime() + policy.graceMs) : null;
    this.lastUsedAt = now;
    this.expiresAt = new Date(now.getTime() + policy.lifetimeMs);
    return 'rotated';
  }

  /** Ends the login. The sealed pair goes with it: nothing may ever be handed out of it again. */
  revoke(now: Date): void {
    if (this.revokedAt !== null) return;
    this.revokedAt = now;
    this.sealedPair = null;
    this.sealedPairExpiresAt = null;
  }
}
