import { describe, expect, it } from 'vitest';
import { at, HOUR } from '../support/builders.js';
import { idsOf, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What deleting a user does to every repository of an adapter: their logins, sessions and messages
 * go with them while other users keep theirs, their username and email are free again, and ids
 * handed out later still rise past every earlier one. It spans the ports, so it is a suite of its
 * own, run unchanged against memory, SQLite and MySQL.
 */
export function describeCascadeContract(target: RepositoryTarget): void {
  describe(`deleting a user, across the repositories: ${target.name}`, () => {
    const {
      users,
      logins,
      sessions,
      messages,
      givenUser,
      givenSession,
      givenLogin,
      givenMessages,
    } = useRepositoryStorage(target);

    it('when a user is deleted, their logins, sessions and messages go with them and other users keep theirs', async () => {
      const doomed = await givenUser();
      const doomedLogin = await givenLogin(doomed);
      const doomedSession = await givenSession(doomed);
      const otherDoomedSession = await givenSession(doomed);
      const [doomedMessage] = await givenMessages(doomedSession, 2);
      const survivor = await givenUser();
      const survivorLogin = await givenLogin(survivor);
      const survivorSession = await givenSession(survivor);
      const survivorMessages = await givenMessages(survivorSession, 2);

      await users.delete(doomed.id);

      expect(await users.findById(doomed.id)).toBeNull();
      expect(await users.findViewById(doomed.id)).toBeNull();
      expect(await users.findByUsername(doomed.username)).toBeNull();
      expect(await logins.findById(doomedLogin.id)).toBeNull();
      expect(await logins.findLiveOwner(doomedLogin.id, at(HOUR))).toBeNull();
      expect(await sessions.findOwned(doomedSession.id, doomed.id)).toBeNull();
      expect(await sessions.findViewOwned(otherDoomedSession.id, doomed.id)).toBeNull();
      expect(await sessions.listViewsOfOwner(doomed.id, { offset: 0, limit: 10 })).toEqual({ items: [], total: 0 });
      expect(await messages.pageOfSession(doomedSession.id, doomed.id, { offset: 0, limit: 10 })).toBeNull();
      expect(await messages.findInSession(must(doomedMessage).id, doomedSession.id)).toBeNull();
      expect(await messages.deleteInSession(must(doomedMessage).id, doomedSession.id, at(HOUR))).toBe(false);

      expect(await users.findById(survivor.id)).not.toBeNull();
      expect(await logins.findById(survivorLogin.id)).not.toBeNull();
      expect(await logins.findLiveOwner(survivorLogin.id, at(HOUR))).toStrictEqual({ userId: survivor.id, isActive: true });
      expect(await sessions.findViewOwned(survivorSession.id, survivor.id)).not.toBeNull();
      const page = must(await messages.pageOfSession(survivorSession.id, survivor.id, { offset: 0, limit: 10 }));
      expect(idsOf(page.items)).toEqual(idsOf(survivorMessages));
    });

    it('when a user is deleted, their username and email are free for a new account', async () => {
      const gone = await givenUser({ username: 'judy', email: 'judy@example.com' });
      await users.delete(gone.id);

      const fresh = await givenUser({ username: 'JUDY', email: 'Judy@example.com' });

      expect((await users.findByUsername('judy'))?.id).toBe(fresh.id);
    });

    it('when ids are handed out after a deletion, they still rise past every id handed out before', async () => {
      const gone = await givenUser();
      const goneSession = await givenSession(gone);
      const [goneMessage] = await givenMessages(goneSession, 1);
      await users.delete(gone.id);

      const owner = await givenUser();
      const session = await givenSession(owner);
      const [message] = await givenMessages(session, 1);

      expect(session.id).toBeGreaterThan(goneSession.id);
      expect(must(message).id).toBeGreaterThan(must(goneMessage).id);
    });
  });
}
