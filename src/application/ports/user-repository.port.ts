import type { User } from '../../domain/user.entity.js';
import type { UserView } from '../views/user.view.js';

/**
 * Accounts. Usernames and emails are unique without regard to case; `add` and `save` throw a
 * `ConflictError` ("Username already exists" / "Email already exists") when a write would break that,
 * even when two writers race.
 */
export interface UserRepository {
  add(user: User): Promise<void>;
  save(user: User): Promise<void>;
  findById(id: string): Promise<User | null>;
  /**
   * The account as anyone may be shown it, read for display only: a fresh plain object, not an
   * entity (changing it changes nothing stored), with no password hash. Null when no account has
   * the id.
   */
  findViewById(id: string): Promise<UserView | null>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<User | null>;
  /** Case-insensitive. */
  findByEmail(email: string): Promise<User | null>;
  /** Removes the account with its logins, sessions and messages. */
  delete(id: string): Promise<void>;
}

export const UserRepository = Symbol.for('chat-backend.UserRepository');
