import type { UserRepository } from '../../../application/ports/user-repository.port.js';
import type { UserView } from '../../../application/views/user.view.js';
import { ConflictError, usernameTaken } from '../../../domain/domain-error.js';
import type { User } from '../../../domain/user.entity.js';
import type { EntityManagerScope, Row } from './entity-manager-scope.js';
import { rowValue } from './row-value.js';
import { UserSchema } from './schemas/user.schema.js';

// Every column but password_hash: the hash never leaves the database on the read side.
const USER_VIEW_COLUMNS = 'id, username, email, is_active, is_verified, created_at, updated_at';

const toUserView = (row: Row): UserView => ({
  id: rowValue.string(row['id']),
  username: rowValue.string(row['username']),
  email: rowValue.string(row['email']),
  // tinyint(1) on MySQL, integer on SQLite: 0 or 1 from either driver.
  isActive: rowValue.boolean(row['is_active']),
  isVerified: rowValue.boolean(row['is_verified']),
  createdAt: rowValue.date(row['created_at']),
  updatedAt: rowValue.date(row['updated_at']),
});

/**
 * Case-insensitive lookups and uniqueness come from the column collation (utf8mb4_unicode_ci,
 * SQLite NOCASE), so `WHERE username = ?` both matches any letter case and uses the unique index.
 */
export class MikroOrmUserRepository implements UserRepository {
  constructor(private readonly scope: EntityManagerScope) {}

  add(user: User): Promise<void> {
    return this.store(user);
  }

  save(user: User): Promise<void> {
    return this.store(user);
  }

  /**
   * When both fields are taken the username is the conflict to report, but engines check unique
   * indexes in different orders (SQLite the newest first) and name only the first one violated.
   */
  private async store(user: User): Promise<void> {
    try {
      await this.scope.persist(user);
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'email_taken' && (await this.usernameTakenByAnother(user))) {
        throw usernameTaken();
      }
      throw error;
    }
  }

  // users_username_unique
  private async usernameTakenByAnother(user: User): Promise<boolean> {
    const rows = await this.scope.rows('SELECT 1 AS taken FROM users WHERE username = ? AND id <> ? LIMIT 1', [user.username, user.id]);
    return rows.length > 0;
  }

  // users PRIMARY
  findById(id: string): Promise<User | null> {
    return this.scope.run((em) => em.findOne(UserSchema, { id }));
  }

  // users PRIMARY
  async findViewById(id: string): Promise<UserView | null> {
    const [row] = await this.scope.rows(`SELECT ${USER_VIEW_COLUMNS} FROM users WHERE id = ?`, [id]);
    return row ? toUserView(row) : null;
  }

  // users_username_unique
  findByUsername(username: string): Promise<User | null> {
    return this.scope.run((em) => em.findOne(UserSchema, { username }));
  }

  // users_email_unique
  findByEmail(email: string): Promise<User | null> {
    return this.scope.run((em) => em.findOne(UserSchema, { email }));
  }

  /** Logins, sessions and their messages go with the account by `ON DELETE CASCADE`. */
  async delete(id: string): Promise<void> {
    await this.scope.run(async (em) => {
      await em.nativeDelete(UserSchema, { id });
      const loaded = em.getUnitOfWork().getById<User>('User', id);
      if (loaded) em.getUnitOfWork().unsetIdentity(loaded);
    });
  }
}
