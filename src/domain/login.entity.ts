export interface LoginState {
  id: string;
  userId: string;
  /** Digest of the one refresh token of this login that may still be spent. */
  refreshTokenHash: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
  address: string | null;
}

export type RotationOutcome =
  /** The presented token was the current one; the login now expects the next one. */
  | 'rotated'
  /** A spent token came back: someone holds a copy. The login revoked itself. */
  | 'reused'
  /** The login was already revoked or has expired. */
  | 'ended';

/**
 * One signed-in device: the family of refresh tokens descended from one login. Only the latest
 * token of the family may be spent; presenting an older one means it was copied, so the whole
 * family is revoked (the thief's and the owner's tokens alike).
 */
export class Login implements LoginState {
  id!: string;
  userId!: string;
  refreshTokenHash!: string;
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
   * Spends the presented refresh token and makes `nextTokenHash` the only one that may be spent
   * next. Each rotation extends the login by `lifetimeMs`, so an active device stays signed in.
   */
  rotate(presentedTokenHash: string, nextTokenHash: string, now: Date, lifetimeMs: number): RotationOutcome {
    if (!this.isLive(now)) return 'ended';
    if (presentedTokenHash !== this.refreshTokenHash) {
      this.revoke(now);
      return 'reused';
    }
    this.refreshTokenHash = nextTokenHash;
    this.lastUsedAt = now;
    this.expiresAt = new Date(now.getTime() + lifetimeMs);
    return 'rotated';
  }

  revoke(now: Date): void {
    if (this.revokedAt !== null) return;
    this.revokedAt = now;
  }
}
