import type { User } from '../../domain/user.entity.js';

/** What anyone may be shown of an account: never a password or its hash. */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly isActive: boolean;
  readonly isVerified: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const toUserView = (user: User): UserView => ({
  id: user.id,
  username: user.username,
  email: user.email,
  isActive: user.isActive,
  isVerified: user.isVerified,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});
