import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestContext } from '@mikro-orm/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../src/domain/domain-error.js';
import { aLogin, at, aUser, DAY, nextToken, STRICT_30_DAYS } from '../../../support/builders.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

/** Rule 5: one unit of work per request, never an identity map shared between two callers. */
describe('MikroORM repositories and the identity map', () => {
  let directory: string;
  let storage: MikroOrmFixture;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'chat-uow-'));
    storage = await openMikroOrmFixture({ kind: 'sqlite', path: join(directory, 'chat.sqlite') });
  });

  beforeEach(async () => {
    await storage.reset();
  });

  afterAll(async () => {
    await storage?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const inRequest = <T>(work: () => Promise<T>): Promise<T> => RequestContext.create(storage.orm.em, work);

  it('when called outside any request, each call gets its own copy and the global EntityManager stays empty', async () => {
    const user = aUser();
    await storage.users.add(user);

    const first = await storage.users.findById(user.id);
    const second = await storage.users.findById(user.id);

    expect(first).not.toBe(second);
    expect(first).not.toBe(user);
    expect(storage.orm.em.getUnitOfWork(false).getIdentityMap().values()).toHaveLength(0);
  });

  it('when called inside one request, the request sees one copy; another request at the same time sees its own', async () => {
    const user = aUser();
    await storage.users.add(user);

    const [mine, theirs] = await Promise.all([
      inRequest(async () => [await storage.users.findById(user.id), await storage.users.findByEmail(user.email)]),
      inRequest(async () => [await storage.users.findById(user.id)]),
    ]);

    expect(mine[0]).toBe(mine[1]);
    expect(mine[0]).not.toBe(theirs[0]);
  });

  it('when an add fails inside a request, a later write of the same request does not retry it', async () => {
    await storage.users.add(aUser({ username: 'taken' }));

    await inRequest(async () => {
      await expect(storage.users.add(aUser({ username: 'TAKEN' }))).rejects.toBeInstanceOf(ConflictError);
      const next = aUser();
      await storage.users.add(next);
      expect(await storage.users.findById(next.id)).not.toBeNull();
    });
  });

  it('when a rotation loses inside a request, reloading the login reads the stored row, not the losing copy', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const stored = aLogin({ userId: owner.id, refreshTokenHash: 'first' });
    await storage.logins.add(stored);

    await inRequest(async () => {
      const login = await storage.logins.findById(stored.id);
      if (!login) throw new Error('login missing');
      login.rotate('first', nextToken('mine'), at(DAY), STRICT_30_DAYS);
      // Someone else spends the token first, in their own request.
      await inRequest(async () => {
        const theirs = await storage.logins.findById(stored.id);
        theirs?.rotate('first', nextToken('theirs'), at(DAY), STRICT_30_DAYS);
        if (theirs) expect(await storage.logins.saveRotation(theirs, 'first')).toBe(true);
      });

      expect(await storage.logins.saveRotation(login, 'first')).toBe(false);
      const reloaded = await storage.logins.findById(stored.id);
      expect(reloaded).not.toBe(login);
      expect(reloaded?.refreshTokenHash).toBe('theirs');
      reloaded?.revoke(at(2 * DAY));
      if (reloaded) expect(await storage.logins.saveRevocation(reloaded)).toBe(true);
    });

    const final = await storage.logins.findById(stored.id);
    expect(final?.refreshTokenHash).toBe('theirs');
    expect(final?.revokedAt).not.toBeNull();
  });

  it('when a rotation wins inside a request, a later flush of that request does not write it again over newer rotations', async () => {
    const owner = aUser();
    await storage.users.add(owner);
    const stored = aLogin({ userId: owner.id, refreshTokenHash: 'first' });
    await storage.logins.add(stored);

    await inRequest(async () => {
      const login = await storage.logins.findById(stored.id);
      login?.rotate('first', nextToken('second'), at(DAY), STRICT_30_DAYS);
      if (login) expect(await storage.logins.saveRotation(login, 'first')).toBe(true);
      // Meanwhile the client already spent the new token in another request.
      await inRequest(async () => {
        const other = await storage.logins.findById(stored.id);
        other?.rotate('second', nextToken('third'), at(DAY + 1), STRICT_30_DAYS);
        if (other) expect(await storage.logins.saveRotation(other, 'second')).toBe(true);
      });
      // A write of this request flushes its unit of work; the first rotation must not come back.
      await storage.users.add(aUser());
    });

    expect((await storage.logins.findById(stored.id))?.refreshTokenHash).toBe('third');
  });
});
