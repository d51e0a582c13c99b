import type { LoginRepository } from '../../../application/ports/login-repository.port.js';
import { Login, type LoginState } from '../../../domain/login.entity.js';
import type { MemoryDatabase } from './memory-database.js';

type LoginRow = Readonly<LoginState>;

const copyDate = (date: Date): Date => new Date(date.getTime());
const copyNullableDate = (date: Date | null): Date | null => (date === null ? null : copyDate(date));

// Copies on the way in and out: no caller may change a stored row by holding a reference.
const toRow = (login: Login): LoginRow =>
  Object.freeze({
    id: login.id,
    userId: login.userId,
    refreshTokenHash: login.refreshTokenHash,
    previousRefreshTokenHash: login.previousRefreshTokenHash,
    sealedPair: login.sealedPair,
    sealedPairExpiresAt: copyNullableDate(login.sealedPairExpiresAt),
    createdAt: copyDate(login.createdAt),
    lastUsedAt: copyDate(login.lastUsedAt),
    expiresAt: copyDate(login.expiresAt),
    revokedAt: copyNullableDate(login.revokedAt),
    userAgent: login.userAgent,
    address: login.address,
  });

const toEntity = (row: LoginRow): Login =>
  Login.restore({
    ...row,
    sealedPairExpiresAt: copyNullableDate(row.sealedPairExpiresAt),
    createdAt: copyDate(row.createdAt),
    lastUsedAt: copyDate(row.lastUsedAt),
    expiresAt: copyDate(row.expiresAt),
    revokedAt: copyNullableDate(row.revokedAt),
  });

/** What revoking leaves of the sealed pair: nothing. */
const ENDED_SEAL = Object.freeze({ sealedPair: null, sealedPairExpiresAt: null });

const isLive = (row: LoginRow, now: Date): boolean => row.revokedAt === null && now.getTime() < row.expiresAt.getTime();

export class MemoryLoginRepository implements LoginRepository {
  constructor(private readonly database: MemoryDatabase) {}

  async add(login: Login): Promise<void> {
    const row = toRow(login);
    await this.database.write((tables) => {
      if (!tables.users.has(row.userId)) {
        throw new Error(`FOREIGN KEY constraint failed: login ${row.id} refers to missing user ${row.userId}`);
      }
      if (tables.logins.has(row.id)) throw new Error(`Duplicate primary key: login ${row.id} is already stored`);
      tables.logins.set(row.id, row);
    });
  }

  async findById(id: string): Promise<Login | null> {
    const row = await this.database.read((tables) => tables.logins.get(id));
    return row ? toEntity(row) : null;
  }

  /**
   * The memory database holds its write lock for a whole transaction, so no other transaction or
   * write runs until this one ends: the whole database is held, which covers this login.
   */
  async findByIdForUpdate(id: string): Promise<Login | null> {
    if (!this.database.inTransaction()) throw new Error('findByIdForUpdate must run inside a transaction');
    return this.findById(id);
  }

  /** Both rows are read from one snapshot, as the SQL adapters read them in one statement. */
  async findLiveOwner(loginId: string, now: Date): Promise<{ userId: string; isActive: boolean } | null> {
    return this.database.read((tables) => {
      const login = tables.logins.get(loginId);
      if (!login || !isLive(login, now)) return null;
      const owner = tables.users.get(login.userId);
      return owner ? { userId: owner.id, isActive: owner.isActive } : null;
    });
  }

  /** A login that is not stored (its user was deleted) changes nothing, like an UPDATE matching no row. */
  async saveRevocation(login: Login): Promise<boolean> {
    const revokedAt = login.revokedAt === null ? null : copyDate(login.revokedAt);
    if (revokedAt === null) return false;
    return this.database.write((tables) => {
      const stored = tables.logins.get(login.id);
      if (!stored || stored.revokedAt !== null) return false;
      tables.logins.set(login.id, Object.freeze({ ...stored, ...ENDED_SEAL, revokedAt }));
      return true;
    });
  }

  async saveRotation(login: Login, previousHash: string): Promise<boolean> {
    const row = toRow(login);
    return this.database.write((tables) => {
      const stored = tables.logins.get(row.id);
      if (!stored || stored.refreshTokenHash !== previousHash || stored.revokedAt !== null) return false;
      tables.logins.set(row.id, row);
      return true;
    });
  }

  async hasSignedInFrom(userId: string, address: string): Promise<boolean> {
    return this.database.read((tables) => {
      for (const row of tables.logins.values()) if (row.userId === userId && row.address === address) return true;
      return false;
    });
  }

  async revokeAllOfUser(userId: string, now: Date, exceptLoginId?: string): Promise<string[]> {
    const revokedAt = copyDate(now);
    return this.database.write((tables) => {
      const revoked: string[] = [];
      for (const row of tables.logins.values()) {
        if (row.userId !== userId || row.id === exceptLoginId || !isLive(row, now)) continue;
        tables.logins.set(row.id, Object.freeze({ ...row, ...ENDED_SEAL, revokedAt }));
        revoked.push(row.id);
      }
      return revoked;
    });
  }
}
