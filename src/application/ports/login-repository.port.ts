import type { Login } from '../../domain/login.entity.js';

export interface LoginRepository {
  add(login: Login): Promise<void>;
  findById(id: string): Promise<Login | null>;
  /**
   * Reads the login for a change that depends on what it reads (a rotation), holding it until
   * the surrounding transaction ends: another caller's `findByIdForUpdate` of the same login (and
   * any other write of it) waits for that, and then reads what it committed. Only inside `TransactionRunner.run`; refused
   * outside one, where there is nothing to hold the login until.
   */
  findByIdForUpdate(id: string): Promise<Login | null>;
  /**
   * Who a login stands for while it is live, in one read: the id of its user and whether that
   * account is active. Live means what `Login.isLive(now)` says: not revoked (at any time) and
   * `now` strictly before its expiry, so a login is already over at its `expiresAt`. Null when the
   * login does not exist, is revoked, has expired, or its user is gone. An inactive owner is still
   * answered (`isActive: false`): refusing it is the caller's decision.
   */
  findLiveOwner(loginId: string, now: Date): Promise<{ userId: string; isActive: boolean } | null>;
  /**
   * Stores the login's revocation unless the stored login is already revoked: of two callers
   * revoking one login, exactly one is told it did (and so announces it). The sealed pair is
   * removed with it. Returns whether this caller revoked it.
   */
  saveRevocation(login: Login): Promise<boolean>;
  /**
   * Stores a rotated login (its token hashes, sealed pair and its expiry, last use and expiry) only
   * if its stored refresh-token hash is still `previousHash` and it is not revoked: a
   * compare-and-set, so of two callers spending the same token exactly one wins, even without
   * `findByIdForUpdate`. Returns whether this caller won.
   */
  saveRotation(login: Login, previousHash: string): Promise<boolean>;
  /**
   * Whether the user has ever signed in (registered, or logged in) from `address`: any login of
   * theirs from it, live, revoked or expired. Addresses compare exactly as stored.
   */
  hasSignedInFrom(userId: string, address: string): Promise<boolean>;
  /**
   * Revokes every live login of the user but `exceptLoginId`, removing their sealed pairs; returns
   * the ids it revoked.
   */
  revokeAllOfUser(userId: string, now: Date, exceptLoginId?: string): Promise<string[]>;
}

export const LoginRepository = Symbol.for('chat-backend.LoginRepository');
