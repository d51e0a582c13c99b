import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Login } from '../../src/domain/login.entity.js';
import { aLogin, at, DAY, HOUR, loginState, MINUTE, nextToken, SECOND, STRICT_30_DAYS } from '../support/builders.js';
import { EMOJI_TEXT, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What every LoginRepository must do, observed only through the port: a login comes back as it was
 * stored, a revocation or a rotation is stored for exactly one of the callers racing for it (a
 * refresh token's single use rests on that), a login read for update is held until its transaction
 * ends (the refresh grace window rests on that), a revocation takes the sealed pair with it, a
 * login has a live owner exactly while Login.isLive says so, and revoking all of a user's logins
 * names the ones it ended. It runs unchanged against memory, SQLite and MySQL.
 */
export function describeLoginRepositoryContract(target: RepositoryTarget): void {
  describe(`LoginRepository contract: ${target.name}`, () => {
    const { users, logins, transactions, givenUser, givenLogin } = useRepositoryStorage(target);

    /** A sealed pair as large as a real one (two JWTs, sealed and base64url-encoded) and then some. */
    const SEALED = `v1.${'Ab-_9z'.repeat(400)}`;
    const GRACE_30_DAYS = { lifetimeMs: 30 * DAY, graceMs: 10 * SECOND };

    it('when a login is added, it is found by id with every field as it was stored', async () => {
      const owner = await givenUser();
      const login = await givenLogin(owner, {
        createdAt: at(5),
        lastUsedAt: at(HOUR + 7),
        expiresAt: at(30 * DAY + 9),
        userAgent: `Mozilla/5.0 ${EMOJI_TEXT}`,
        address: '2001:db8::1',
      });
      const bare = await givenLogin(owner, { userAgent: null, address: null });
      const inGrace = await givenLogin(owner, {
        previousRefreshTokenHash: 'spent-hash',
        sealedPair: SEALED,
        sealedPairExpiresAt: at(HOUR + 10 * SECOND + 7),
      });

      const found = await logins.findById(login.id);

      expect(found).toBeInstanceOf(Login);
      expect(loginState(must(found))).toEqual(loginState(login));
      expect(loginState(must(await logins.findById(bare.id)))).toEqual(loginState(bare));
      expect(loginState(must(await logins.findById(inGrace.id)))).toEqual(loginState(inGrace));
    });

    it('when the id is unknown, no login is found', async () => {
      expect(await logins.findById(randomUUID())).toBeNull();
    });

    it('when a login for a user that does not exist is added, it is refused', async () => {
      await expect(logins.add(aLogin({ userId: randomUUID() }))).rejects.toThrow();
    });

    it('when a revoked login is saved, the revocation is stored and the caller is told it revoked it', async () => {
      const login = await givenLogin(await givenUser());

      login.revoke(at(HOUR));

      expect(await logins.saveRevocation(login)).toBe(true);
      expect(must(await logins.findById(login.id)).revokedAt?.getTime()).toBe(at(HOUR).getTime());
    });

    it('when two callers revoke one login, exactly one is told it did and the first time stays', async () => {
      const stored = await givenLogin(await givenUser());
      const first = must(await logins.findById(stored.id));
      const second = must(await logins.findById(stored.id));
      first.revoke(at(HOUR));
      second.revoke(at(DAY));

      const results = await Promise.all([logins.saveRevocation(first), logins.saveRevocation(second)]);

      expect(results.filter(Boolean)).toHaveLength(1);
      const revokedAt = must(await logins.findById(stored.id)).revokedAt?.getTime();
      expect([at(HOUR).getTime(), at(DAY).getTime()]).toContain(revokedAt);
      expect(await logins.saveRevocation(second)).toBe(false);
    });

    it('when a login inside its grace window is revoked, the sealed pair is removed with it', async () => {
      const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
      const login = must(await logins.findById(stored.id));
      login.rotate('first', nextToken('second', SEALED), at(DAY), GRACE_30_DAYS);
      expect(await logins.saveRotation(login, 'first')).toBe(true);

      const revoking = must(await logins.findById(stored.id));
      revoking.revoke(at(DAY + SECOND));
      expect(await logins.saveRevocation(revoking)).toBe(true);

      const found = must(await logins.findById(stored.id));
      expect(found).toMatchObject({ revokedAt: at(DAY + SECOND), sealedPair: null, sealedPairExpiresAt: null });
      expect(found.sealedPairAt(at(DAY + SECOND))).toBeNull();
    });

    it('when a login that was never revoked is saved as a revocation, nothing is stored', async () => {
      const login = await givenLogin(await givenUser());

      expect(await logins.saveRevocation(login)).toBe(false);
      expect(must(await logins.findById(login.id)).revokedAt).toBeNull();
    });

    it('when a login is changed without saving, the stored login is unchanged', async () => {
      const login = await givenLogin(await givenUser());
      const original = structuredClone(loginState(login));

      login.revoke(at(HOUR));
      login.expiresAt.setTime(0);
      const found = must(await logins.findById(login.id));
      found.createdAt.setTime(0);
      found.lastUsedAt.setTime(0);
      found.expiresAt.setTime(0);
      found.revoke(at(HOUR));

      expect(loginState(must(await logins.findById(login.id)))).toEqual(original);
    });

    describe('the live owner of a login', () => {
      it('when the login is live, its owner is found, and each login names its own owner', async () => {
        const owner = await givenUser();
        const other = await givenUser();
        const login = await givenLogin(owner, { expiresAt: at(30 * DAY) });
        const othersLogin = await givenLogin(other, { expiresAt: at(30 * DAY) });

        expect(await logins.findLiveOwner(login.id, at(DAY))).toStrictEqual({ userId: owner.id, isActive: true });
        expect(await logins.findLiveOwner(othersLogin.id, at(DAY))).toStrictEqual({ userId: other.id, isActive: true });
      });

      it('when the login expires, it is live up to the millisecond before its expiry and over from that instant on, as Login.isLive says', async () => {
        const owner = await givenUser();
        const expiresAt = at(30 * DAY + 9);
        const login = await givenLogin(owner, { expiresAt });

        for (const now of [at(30 * DAY + 8), expiresAt, at(30 * DAY + 10), at(60 * DAY)]) {
          const found = await logins.findLiveOwner(login.id, now);
          expect(found !== null).toBe(login.isLive(now));
        }
        expect(await logins.findLiveOwner(login.id, at(30 * DAY + 8))).toStrictEqual({ userId: owner.id, isActive: true });
        expect(await logins.findLiveOwner(login.id, expiresAt)).toBeNull();
        expect(await logins.findLiveOwner(login.id, at(30 * DAY + 10))).toBeNull();
      });

      it('when the login is revoked, at any time, it has no live owner', async () => {
        const owner = await givenUser();
        const revokedEarlier = await givenLogin(owner, { revokedAt: at(HOUR) });
        const revokedLater = await givenLogin(owner, { revokedAt: at(2 * DAY) });
        const loggedOut = await givenLogin(owner);
        loggedOut.revoke(at(HOUR));
        expect(await logins.saveRevocation(loggedOut)).toBe(true);

        for (const login of [revokedEarlier, revokedLater, loggedOut]) {
          expect(await logins.findLiveOwner(login.id, at(DAY))).toBeNull();
        }
      });

      it('when the owner is deactivated, the owner is still found, as inactive', async () => {
        const inactive = await givenUser({ isActive: false });
        const deactivated = await givenUser();
        const inactivesLogin = await givenLogin(inactive);
        const deactivatedsLogin = await givenLogin(deactivated);
        deactivated.deactivate(at(HOUR));
        await users.save(deactivated);

        expect(await logins.findLiveOwner(inactivesLogin.id, at(DAY))).toStrictEqual({ userId: inactive.id, isActive: false });
        expect(await logins.findLiveOwner(deactivatedsLogin.id, at(DAY))).toStrictEqual({
          userId: deactivated.id,
          isActive: false,
        });
      });

      it('when the owner is deleted, the login has no live owner', async () => {
        const owner = await givenUser();
        const login = await givenLogin(owner);

        await users.delete(owner.id);

        expect(await logins.findLiveOwner(login.id, at(DAY))).toBeNull();
      });

      it('when no login has the id, there is no owner', async () => {
        await givenLogin(await givenUser());

        expect(await logins.findLiveOwner(randomUUID(), at(DAY))).toBeNull();
      });
    });

    describe('rotation', () => {
      it('when the stored token hash is still the presented one, the rotation is stored and wins', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        const login = must(await logins.findById(stored.id));

        expect(login.rotate('first', nextToken('second'), at(DAY), STRICT_30_DAYS)).toBe('rotated');
        expect(await logins.saveRotation(login, 'first')).toBe(true);

        const found = must(await logins.findById(stored.id));
        expect(found.refreshTokenHash).toBe('second');
        expect(found.lastUsedAt.getTime()).toBe(at(DAY).getTime());
        expect(found.expiresAt.getTime()).toBe(at(31 * DAY).getTime());
        expect(found.revokedAt).toBeNull();
      });

      it('when a rotation keeps a sealed pair, the spent token, the pair and the end of its window are stored', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        const login = must(await logins.findById(stored.id));

        expect(login.rotate('first', nextToken('second', SEALED), at(DAY), GRACE_30_DAYS)).toBe('rotated');
        expect(await logins.saveRotation(login, 'first')).toBe(true);

        const found = must(await logins.findById(stored.id));
        expect(loginState(found)).toEqual(loginState(login));
        expect(found).toMatchObject({
          refreshTokenHash: 'second',
          previousRefreshTokenHash: 'first',
          sealedPair: SEALED,
          sealedPairExpiresAt: at(DAY + 10 * SECOND),
        });
        expect(found.recognize('first', at(DAY + 10 * SECOND - 1))).toBe('replay');
        expect(found.recognize('first', at(DAY + 10 * SECOND))).toBe('reused');
      });

      it('when the next rotation keeps no pair, the earlier sealed pair is gone from the store', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        const login = must(await logins.findById(stored.id));
        login.rotate('first', nextToken('second', SEALED), at(DAY), GRACE_30_DAYS);
        expect(await logins.saveRotation(login, 'first')).toBe(true);

        const again = must(await logins.findById(stored.id));
        again.rotate('second', nextToken('third'), at(2 * DAY), STRICT_30_DAYS);
        expect(await logins.saveRotation(again, 'second')).toBe(true);

        expect(must(await logins.findById(stored.id))).toMatchObject({
          refreshTokenHash: 'third',
          previousRefreshTokenHash: 'second',
          sealedPair: null,
          sealedPairExpiresAt: null,
        });
      });

      it('when a second rotation spends the same token, it loses and the first one stays stored', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        const mine = must(await logins.findById(stored.id));
        const theirs = must(await logins.findById(stored.id));

        mine.rotate('first', nextToken('mine'), at(DAY), STRICT_30_DAYS);
        theirs.rotate('first', nextToken('theirs'), at(DAY + 1), STRICT_30_DAYS);

        expect(await logins.saveRotation(mine, 'first')).toBe(true);
        expect(await logins.saveRotation(theirs, 'first')).toBe(false);
        expect(loginState(must(await logins.findById(stored.id)))).toEqual(loginState(mine));
      });

      it('when two rotations of one token race, exactly one wins', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        const racers = await Promise.all([logins.findById(stored.id), logins.findById(stored.id)]);
        const [left, right] = racers.map(must);
        must(left).rotate('first', nextToken('left'), at(DAY), STRICT_30_DAYS);
        must(right).rotate('first', nextToken('right'), at(DAY), STRICT_30_DAYS);

        const results = await Promise.all([logins.saveRotation(must(left), 'first'), logins.saveRotation(must(right), 'first')]);

        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] ? 'left' : 'right';
        expect(must(await logins.findById(stored.id)).refreshTokenHash).toBe(winner);
      });

      it('when the login was revoked meanwhile, the rotation loses and the login stays revoked', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        const stale = must(await logins.findById(stored.id));
        const revoking = must(await logins.findById(stored.id));
        revoking.revoke(at(HOUR));
        await logins.saveRevocation(revoking);

        stale.rotate('first', nextToken('second'), at(DAY), STRICT_30_DAYS);

        expect(await logins.saveRotation(stale, 'first')).toBe(false);
        const found = must(await logins.findById(stored.id));
        expect(found.refreshTokenHash).toBe('first');
        expect(found.revokedAt?.getTime()).toBe(at(HOUR).getTime());
      });

      it('when the login does not exist, the rotation loses', async () => {
        const owner = await givenUser();
        const ghost = aLogin({ userId: owner.id, refreshTokenHash: 'first' });
        ghost.rotate('first', nextToken('second'), at(DAY), STRICT_30_DAYS);

        expect(await logins.saveRotation(ghost, 'first')).toBe(false);
        expect(await logins.findById(ghost.id)).toBeNull();
      });
    });

    describe('reading a login for update', () => {
      it('when read inside a transaction, the login comes back as stored; an unknown id gives none', async () => {
        const stored = await givenLogin(await givenUser(), {
          previousRefreshTokenHash: 'spent-hash',
          sealedPair: SEALED,
          sealedPairExpiresAt: at(HOUR),
        });

        const [found, unknown] = await transactions.run(async () => [
          await logins.findByIdForUpdate(stored.id),
          await logins.findByIdForUpdate(randomUUID()),
        ]);

        expect(found).toBeInstanceOf(Login);
        expect(loginState(must(found))).toEqual(loginState(stored));
        expect(unknown).toBeNull();
      });

      it('when asked outside a transaction, it is refused: there would be nothing to hold the login until', async () => {
        const stored = await givenLogin(await givenUser());

        await expect(logins.findByIdForUpdate(stored.id)).rejects.toThrow(/transaction/);
      });

      it('when two transactions read one login for update, the second waits for the first to commit and reads what it wrote', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
        let firstHasRead: () => void = () => undefined;
        const firstRead = new Promise<void>((resolve) => {
          firstHasRead = resolve;
        });
        /** What each transaction found, and whether it rotated the token it found. */
        const rotateIfFirst = async (next: string): Promise<{ saw: string; rotated: boolean }> => {
          const login = must(await logins.findByIdForUpdate(stored.id));
          const saw = login.refreshTokenHash;
          if (saw !== 'first') return { saw, rotated: false };
          login.rotate('first', nextToken(next), at(DAY), STRICT_30_DAYS);
          return { saw, rotated: await logins.saveRotation(login, 'first') };
        };

        const first = transactions.run(async () => {
          const login = must(await logins.findByIdForUpdate(stored.id));
          firstHasRead();
          // Gives the second transaction time to send its read while this one still holds the
          // login: without the hold it would read 'first' too. (No timing is asserted.)
          await new Promise((resolve) => setTimeout(resolve, 100));
          login.rotate('first', nextToken('by-first'), at(DAY), STRICT_30_DAYS);
          return { saw: 'first', rotated: await logins.saveRotation(login, 'first') };
        });
        const second = firstRead.then(() => transactions.run(() => rotateIfFirst('by-second')));

        expect(await first).toEqual({ saw: 'first', rotated: true });
        expect(await second).toEqual({ saw: 'by-first', rotated: false });
        expect(must(await logins.findById(stored.id)).refreshTokenHash).toBe('by-first');
      });

      it('when the holding transaction fails, the login is let go unchanged and the next reader sees it as it was', async () => {
        const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });

        await expect(
          transactions.run(async () => {
            const login = must(await logins.findByIdForUpdate(stored.id));
            login.rotate('first', nextToken('undone'), at(DAY), STRICT_30_DAYS);
            expect(await logins.saveRotation(login, 'first')).toBe(true);
            throw new Error('rotation abandoned');
          }),
        ).rejects.toThrow('rotation abandoned');

        const next = await transactions.run(() => logins.findByIdForUpdate(stored.id));
        expect(loginState(must(next))).toEqual(loginState(stored));
      });
    });

    describe('where a user has signed in from', () => {
      it('when a user has a login from an address, live, revoked or expired, it has signed in from there; from elsewhere it has not', async () => {
        const owner = await givenUser();
        await givenLogin(owner, { address: '203.0.113.7' });
        await givenLogin(owner, { address: '2001:db8::1', revokedAt: at(MINUTE) });
        await givenLogin(owner, { address: '198.51.100.4', expiresAt: at(HOUR) });
        await givenLogin(owner, { address: null });

        for (const address of ['203.0.113.7', '2001:db8::1', '198.51.100.4']) {
          expect(await logins.hasSignedInFrom(owner.id, address)).toBe(true);
        }
        expect(await logins.hasSignedInFrom(owner.id, '203.0.113.70')).toBe(false);
        expect(await logins.hasSignedInFrom(owner.id, '203.0.113')).toBe(false);
      });

      it("when another user signed in from an address, the address is not this user's", async () => {
        const owner = await givenUser();
        const other = await givenUser();
        await givenLogin(other, { address: '203.0.113.8' });

        expect(await logins.hasSignedInFrom(owner.id, '203.0.113.8')).toBe(false);
        expect(await logins.hasSignedInFrom(randomUUID(), '203.0.113.8')).toBe(false);
      });
    });

    describe('revoking every login of a user', () => {
      it('when all but one are revoked, only the live others are revoked and named', async () => {
        const owner = await givenUser();
        const now = at(10 * DAY);
        const current = await givenLogin(owner);
        const live = await givenLogin(owner);
        const alsoLive = await givenLogin(owner, { expiresAt: at(10 * DAY + 1) });
        const revokedBefore = await givenLogin(owner, { revokedAt: at(DAY) });
        const expired = await givenLogin(owner, { expiresAt: at(9 * DAY) });
        const expiringNow = await givenLogin(owner, { expiresAt: now });
        const someoneElses = await givenLogin(await givenUser());

        const revoked = await logins.revokeAllOfUser(owner.id, now, current.id);

        expect([...revoked].sort()).toEqual([live.id, alsoLive.id].sort());
        for (const login of [live, alsoLive]) {
          expect(must(await logins.findById(login.id)).revokedAt?.getTime()).toBe(now.getTime());
        }
        expect(must(await logins.findById(current.id)).revokedAt).toBeNull();
        expect(must(await logins.findById(revokedBefore.id)).revokedAt?.getTime()).toBe(at(DAY).getTime());
        expect(must(await logins.findById(expired.id)).revokedAt).toBeNull();
        expect(must(await logins.findById(expiringNow.id)).revokedAt).toBeNull();
        expect(must(await logins.findById(someoneElses.id)).revokedAt).toBeNull();
      });

      it('when a login revoked this way was inside its grace window, its sealed pair is removed', async () => {
        const owner = await givenUser();
        const inGrace = await givenLogin(owner, {
          previousRefreshTokenHash: 'spent-hash',
          sealedPair: SEALED,
          sealedPairExpiresAt: at(DAY + 10 * SECOND),
        });

        expect(await logins.revokeAllOfUser(owner.id, at(DAY))).toEqual([inGrace.id]);

        expect(must(await logins.findById(inGrace.id))).toMatchObject({ revokedAt: at(DAY), sealedPair: null, sealedPairExpiresAt: null });
      });

      it('when no login is excepted, the current one is revoked too', async () => {
        const owner = await givenUser();
        const current = await givenLogin(owner);
        const other = await givenLogin(owner);

        const revoked = await logins.revokeAllOfUser(owner.id, at(HOUR));

        expect([...revoked].sort()).toEqual([current.id, other.id].sort());
        expect(must(await logins.findById(current.id)).isLive(at(HOUR))).toBe(false);
      });

      it('when the user has no live login, nothing is revoked', async () => {
        const owner = await givenUser();
        await givenLogin(owner, { revokedAt: at(MINUTE) });

        expect(await logins.revokeAllOfUser(owner.id, at(HOUR))).toEqual([]);
        expect(await logins.revokeAllOfUser(randomUUID(), at(HOUR))).toEqual([]);
      });

      it('when revoked twice, the second call names nothing', async () => {
        const owner = await givenUser();
        await givenLogin(owner);

        expect(await logins.revokeAllOfUser(owner.id, at(HOUR))).toHaveLength(1);
        expect(await logins.revokeAllOfUser(owner.id, at(2 * HOUR))).toEqual([]);
      });
    });
  });
}
