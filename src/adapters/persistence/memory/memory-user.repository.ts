import type { UserRepository } from '../../../application/ports/user-repository.port.js';
import type { UserView } from '../../../application/views/user.view.js';
import { emailTaken, usernameTaken } from '../../../domain/domain-error.js';
import { User, type UserState } from '../../../domain/user.entity.js';
import type { MemoryDatabase } from './memory-database.js';

type UserRow = Readonly<UserState>;

// Copies on the way in and out: no caller may change a stored row by holding a reference.
const toRow = (user: User): UserRow =>
  Object.freeze({
    id: user.id,
    username: user.username,
    email: user.email,
    passwordHash: user.passwordHash,
    isActive: user.isActive,
    isVerified: user.isVerified,
    createdAt: new Date(user.createdAt.getTime()),
    updatedAt: new Date(user.updatedAt.getTime()),
  });

const toEntity = (row: UserRow): User =>
  User.restore({ ...row, createdAt: new Date(row.createdAt.getTime()), updatedAt: new Date(row.updatedAt.getTime()) });

// Built from the row, no entity in between, as the SQL adapters do; the hash stays behind.
const toView = (row: UserRow): UserView => ({
  id: row.id,
  username: row.username,
  email: row.email,
  isActive: row.isActive,
  isVerified: row.isVerified,
  createdAt: new Date(row.createdAt.getTime()),
  updatedAt: new Date(row.updatedAt.getTime()),
});

// The databases compare with a case-insensitive collation; usernames are ASCII by validation and
// emails lower-cased by it, so where collations differ on other letters no valid input reaches.
const fold = (text: string): string => text.toLowerCase();

const findRow = (users: ReadonlyMap<string, UserRow>, matches: (row: UserRow) => boolean): UserRow | undefined => {
  for (const row of users.values()) if (matches(row)) return row;
  return undefined;
};

/** Refuses a row that would share a username or email with another one; the username is checked first. */
const assertUnique = (users: ReadonlyMap<string, UserRow>, row: UserRow): void => {
  const username = fold(row.username);
  const email = fold(row.email);
  if (findRow(users, (other) => other.id !== row.id && fold(other.username) === username)) {
    throw usernameTaken();
  }
  if (findRow(users, (other) => other.id !== row.id && fold(other.email) === email)) {
    throw emailTaken();
  }
};

export class MemoryUserRepository implements UserRepository {
  constructor(private readonly database: MemoryDatabase) {}

  async add(user: User): Promise<void> {
    const row = toRow(user);
    await this.database.write((tables) => {
      // Ids are UUIDs; a repeated one is a bug in the caller, not a conflict a client can fix.
      if (tables.users.has(row.id)) throw new Error(`Duplicate primary key: user ${row.id} is already stored`);
      assertUnique(tables.users, row);
      tables.users.set(row.id, row);
    });
  }

  /** Saving a user that is not stored (deleted meanwhile) changes nothing, like an UPDATE matching no row. */
  async save(user: User): Promise<void> {
    const row = toRow(user);
    await this.database.write((tables) => {
      if (!tables.users.has(row.id)) return;
      assertUnique(tables.users, row);
      tables.users.set(row.id, row);
    });
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.database.read((tables) => tables.users.get(id));
    return row ? toEntity(row) : null;
  }

  async findViewById(id: string): Promise<UserView | null> {
    const row = await this.database.read((tables) => tables.users.get(id));
    return row ? toView(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const wanted = fold(username);
    const row = await this.database.read((tables) => findRow(tables.users, (user) => fold(user.username) === wanted));
    return row ? toEntity(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const wanted = fold(email);
    const row = await this.database.read((tables) => findRow(tables.users, (user) => fold(user.email) === wanted));
    return row ? toEntity(row) : null;
  }

  async delete(id: string): Promise<void> {
    await this.database.deleteUser(id);
  }
}
