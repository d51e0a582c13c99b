import { LockMode } from '@mikro-orm/core';
import type { LoginRepository } from '../../../application/ports/login-repository.port.js';
import type { Login } from '../../../domain/login.entity.js';
import type { EntityManagerScope } from './entity-manager-scope.js';
import { rowValue } from './row-value.js';
import { LoginSchema } from './schemas/login.schema.js';

/** What revoking leaves of the sealed pair: nothing (as `Login.revoke` does). */
const ENDED_SEAL = { sealedPair: null, sealedPairExpiresAt: null } as const;

export class MikroOrmLoginRepository implements LoginRepository {
  constructor(private readonly scope: EntityManagerScope) {}

  add(login: Login): Promise<void> {
    return this.scope.persist(login);
  }

  // logins PRIMARY
  findById(id: string): Promise<Login | null> {
    return this.scope.run((em) => em.findOne(LoginSchema, { id }));
  }

  /**
   * logins PRIMARY, `SELECT … FOR UPDATE` on MySQL: the row stays locked until the transaction
   * ends, and a second locking read waits and then reads the committed row (not its snapshot).
   * SQLite has no row locks and needs none: its one connection runs one transaction at a time.
   * `refresh`, so a copy of the row already in the identity map is not handed back unread.
   */
  findByIdForUpdate(id: string): Promise<Login | null> {
    return this.scope.run((em) => {
      if (!em.isInTransaction()) throw new Error('findByIdForUpdate must run inside a transaction');
      return em.findOne(
        LoginSchema,
        { id },
        this.scope.dialect === 'mysql' ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : { refresh: true },
      );
    });
  }

  /**
   * logins PRIMARY for the login, then users PRIMARY for its owner: one row at most, and no
   * entity. The inner join answers null for an owner who is gone, whatever the cascade left.
   */
  async findLiveOwner(loginId: string, now: Date): Promise<{ userId: string; isActive: boolean } | null> {
    const [row] = await this.scope.rows(
      `SELECT u.id, u.is_active
         FROM logins l
         JOIN users u ON u.id = l.user_id
        WHERE l.id = ? AND l.revoked_at IS NULL AND l.expires_at > ?`,
      [loginId, this.scope.dateParam(now)],
    );
    if (!row) return null;
    // tinyint(1) on MySQL, integer on SQLite: 0 or 1 from either driver.
    return { userId: rowValue.string(row['id']), isActive: rowValue.boolean(row['is_active']) };
  }

  /** One conditional UPDATE (logins PRIMARY), so two revokers cannot both be told they did it. */
  saveRevocation(login: Login): Promise<boolean> {
    const revokedAt = login.revokedAt;
    if (revokedAt === null) return Promise.resolve(false);
    return this.scope.run(async (em) => {
      const affected = await em.nativeUpdate(LoginSchema, { id: login.id, revokedAt: null }, { revokedAt, ...ENDED_SEAL });
      // Either way the stored row is now revoked; the unit of work must not write this copy again.
      em.getUnitOfWork().unsetIdentity(login);
      return affected === 1;
    });
  }

  /**
   * One conditional UPDATE (logins PRIMARY): of two requests spending the same refresh token the
   * database lets exactly one match the old hash.
   */
  saveRotation(login: Login, previousHash: string): Promise<boolean> {
    return this.scope.run(async (em) => {
      const affected = await em.nativeUpdate(
        LoginSchema,
        { id: login.id, refreshTokenHash: previousHash, revokedAt: null },
        {
          refreshTokenHash: login.refreshTokenHash,
          previousRefreshTokenHash: login.previousRefreshTokenHash,
          sealedPair: login.sealedPair,
          sealedPairExpiresAt: login.sealedPairExpiresAt,
          lastUsedAt: login.lastUsedAt,
          expiresAt: login.expiresAt,
        },
      );
      const won = affected === 1;
      if (won) {
        // The stored row now equals this entity: the unit of work must not see a change to write.
        em.merge(login, { refresh: true });
      } else {
        // The loser's copy is stale: a later flush must not write it, and a reload must read the
        // row again instead of getting this copy back from the identity map.
        em.getUnitOfWork().unsetIdentity(login);
      }
      return won;
    });
  }

  /** logins_user_id_index, then the user's rows: one row at most is read back, and no entity. */
  async hasSignedInFrom(userId: string, address: string): Promise<boolean> {
    const rows = await this.scope.rows('SELECT 1 AS found FROM logins WHERE user_id = ? AND address = ? LIMIT 1', [userId, address]);
    return rows.length > 0;
  }

  /**
   * Live means neither revoked nor expired. The ids are read and revoked in one transaction, with
   * the rows locked on MySQL (logins_user_id_index), so the answer names exactly what this call
   * revoked.
   */
  revokeAllOfUser(userId: string, now: Date, exceptLoginId?: string): Promise<string[]> {
    return this.scope.transaction(async () => {
      const params: unknown[] = [userId, this.scope.dateParam(now)];
      let sql = 'SELECT id FROM logins WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?';
      if (exceptLoginId !== undefined) {
        sql += ' AND id <> ?';
        params.push(exceptLoginId);
      }
      if (this.scope.dialect === 'mysql') sql += ' FOR UPDATE';
      const rows = await this.scope.rows(sql, params);
      const ids = rows.map((row) => rowValue.string(row['id']));
      if (ids.length > 0) {
        await this.scope.run((em) => em.nativeUpdate(LoginSchema, { id: { $in: ids }, revokedAt: null }, { revokedAt: now, ...ENDED_SEAL }));
      }
      return ids;
    });
  }
}
