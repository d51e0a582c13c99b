export interface UserState {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  isActive: boolean;
  isVerified: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An account. Fields are public so persistence adapters can map them, but every change goes
 * through a method that keeps `updatedAt` honest.
 */
export class User implements UserState {
  id!: string;
  username!: string;
  email!: string;
  passwordHash!: string;
  isActive!: boolean;
  isVerified!: boolean;
  createdAt!: Date;
  updatedAt!: Date;

  private constructor(state: UserState) {
    Object.assign(this, state);
  }

  static register(input: { id: string; username: string; email: string; passwordHash: string; now: Date }): User {
    return new User({
      id: input.id,
      username: input.username,
      email: input.email,
      passwordHash: input.passwordHash,
      isActive: true,
      isVerified: false,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  /** Rebuilds an account from stored state (adapters and tests). */
  static restore(state: UserState): User {
    return new User({ ...state });
  }

  rename(username: string, now: Date): void {
    if (username === this.username) return;
    this.username = username;
    this.updatedAt = now;
  }

  changeEmail(email: string, now: Date): void {
    if (email === this.email) return;
    this.email = email;
    // A new address has not been shown to belong to the user.
    this.isVerified = false;
    this.updatedAt = now;
  }

  changePasswordHash(passwordHash: string, now: Date): void {
    this.passwordHash = passwordHash;
    this.updatedAt = now;
  }

  deactivate(now: Date): void {
    if (!this.isActive) return;
    this.isActive = false;
    this.updatedAt = now;
  }
}
