import { describe, expect, it } from 'vitest';
import { aLogin, aMessage, aSession, aUser, at, DAY, messageState, sessionState, userState } from '../support/builders.js';
import { expectConflict, idsOf, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What every TransactionRunner must do, with the repositories of its adapter: the work commits whole
 * or not at all, across every repository; the error that ended it comes out unchanged; a nested run
 * joins the one around it; and of two runs at once, neither undoes the other. It runs unchanged
 * against memory, SQLite and MySQL, whose isolation of concurrent transactions differs, so that is not
 * asserted here (memory.contract.test.ts pins the memory database's own).
 */
export function describeTransactionRunnerContract(target: RepositoryTarget): void {
  describe(`TransactionRunner contract: ${target.name}`, () => {
    const {
      users,
      logins,
      sessions,
      messages,
      transactions,
      givenUser,
      givenSession,
      givenLogin,
      givenMessages,
    } = useRepositoryStorage(target);

    it('when the work succeeds, run answers its result and its writes are visible afterwards', async () => {
      const user = aUser();

      const result = await transactions.run(async () => {
        await users.add(user);
        const session = aSession({ userId: user.id });
        await sessions.add(session);
        return session.id;
      });

      expect(await users.findById(user.id)).not.toBeNull();
      expect(await sessions.findViewOwned(result, user.id)).not.toBeNull();
    });

    it('when the work reads what it wrote, it sees its own writes before commit', async () => {
      const user = aUser({ username: 'inside_reader' });

      await transactions.run(async () => {
        await users.add(user);
        expect((await users.findByUsername('INSIDE_READER'))?.id).toBe(user.id);
        const session = aSession({ userId: user.id });
        await sessions.add(session);
        await messages.add(aMessage({ sessionId: session.id }));
        expect(must(await messages.pageOfSession(session.id, user.id, { offset: 0, limit: 10 })).total).toBe(1);
      });
    });

    it('when the work throws, the same error comes out and every write made in it is undone', async () => {
      const owner = await givenUser({ username: 'kept_owner' });
      const ownerBefore = structuredClone(userState(owner));
      const session = await givenSession(owner, { title: 'Kept title' });
      const [message] = await givenMessages(session, 1);
      const sessionBefore = structuredClone(sessionState(must(await sessions.findOwned(session.id, owner.id))));
      const messageBefore = structuredClone(messageState(must(message)));
      const login = await givenLogin(owner);
      const newcomer = aUser();
      const newSession = aSession({ userId: owner.id });
      const newLogin = aLogin({ userId: owner.id });
      const failure = new Error('work failed');

      const outcome = transactions.run(async () => {
        await users.add(newcomer);
        owner.rename('renamed_owner', at(DAY));
        await users.save(owner);
        await sessions.add(newSession);
        session.rename('Changed title', at(DAY));
        await sessions.save(session);
        await messages.add(aMessage({ sessionId: session.id }));
        must(message).edit('changed text', at(DAY));
        await messages.save(must(message));
        await logins.add(newLogin);
        await logins.revokeAllOfUser(owner.id, at(DAY));
        await messages.deleteInSession(must(message).id, session.id, at(DAY));
        await messages.deleteAllInSession(session.id, at(DAY));
        throw failure;
      });

      await expect(outcome).rejects.toBe(failure);
      expect(await users.findById(newcomer.id)).toBeNull();
      expect(userState(must(await users.findById(owner.id)))).toEqual(ownerBefore);
      expect(await users.findByUsername('renamed_owner')).toBeNull();
      expect(sessionState(must(await sessions.findOwned(session.id, owner.id)))).toEqual(sessionBefore);
      expect(await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 10 })).toMatchObject({ total: 1 });
      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));
      expect(page.total).toBe(1);
      expect(idsOf(page.items)).toEqual([must(message).id]);
      expect(messageState(must(await messages.findInSession(must(message).id, session.id)))).toEqual(messageBefore);
      expect(await logins.findById(newLogin.id)).toBeNull();
      expect(must(await logins.findById(login.id)).revokedAt).toBeNull();
    });

    it('when a user deleted inside the transaction is rolled back, the user comes back with everything', async () => {
      const owner = await givenUser();
      const login = await givenLogin(owner);
      const session = await givenSession(owner);
      const added = await givenMessages(session, 2);

      await expect(
        transactions.run(async () => {
          await users.delete(owner.id);
          expect(await users.findById(owner.id)).toBeNull();
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');

      expect(await users.findById(owner.id)).not.toBeNull();
      expect(await logins.findById(login.id)).not.toBeNull();
      expect(await sessions.findViewOwned(session.id, owner.id)).not.toBeNull();
      const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));
      expect(idsOf(page.items)).toEqual(idsOf(added));
    });

    it('when a conflict ends the work, the writes before it are undone and the conflict comes out', async () => {
      const taken = await givenUser({ username: 'taken_name' });
      const first = aUser();

      const outcome = transactions.run(async () => {
        await users.add(first);
        await users.add(aUser({ username: 'Taken_Name' }));
      });

      await expectConflict(outcome, 'username');
      expect(await users.findById(first.id)).toBeNull();
      expect(await users.findById(taken.id)).not.toBeNull();
    });

    it('when a run is nested in another, it joins it: it answers its result and sees the outer writes', async () => {
      const outer = aUser();

      const result = await transactions.run(async () => {
        await users.add(outer);
        const inner = await transactions.run(async () => {
          expect(await users.findById(outer.id)).not.toBeNull();
          const session = aSession({ userId: outer.id });
          await sessions.add(session);
          return session.id;
        });
        expect(await sessions.findViewOwned(inner, outer.id)).not.toBeNull();
        return inner;
      });

      expect(await sessions.findViewOwned(result, outer.id)).not.toBeNull();
    });

    it('when the outer work throws after a nested run succeeded, the nested writes are undone too', async () => {
      const outer = aUser();
      const inner = aUser();

      await expect(
        transactions.run(async () => {
          await users.add(outer);
          await transactions.run(async () => {
            await users.add(inner);
          });
          throw new Error('outer failed');
        }),
      ).rejects.toThrow('outer failed');

      expect(await users.findById(outer.id)).toBeNull();
      expect(await users.findById(inner.id)).toBeNull();
    });

    it('when a transaction was rolled back, the next one commits normally', async () => {
      await expect(
        transactions.run(async () => {
          await users.add(aUser());
          throw new Error('first failed');
        }),
      ).rejects.toThrow('first failed');

      const user = aUser();
      await transactions.run(() => users.add(user));

      expect(await users.findById(user.id)).not.toBeNull();
    });

    it('when two transactions run at once, both commit', async () => {
      const left = aUser();
      const right = aUser();

      await Promise.all([
        transactions.run(async () => {
          await users.add(left);
          await sessions.add(aSession({ userId: left.id }));
        }),
        transactions.run(async () => {
          await users.add(right);
          await sessions.add(aSession({ userId: right.id }));
        }),
      ]);

      expect((await sessions.listViewsOfOwner(left.id, { offset: 0, limit: 10 })).total).toBe(1);
      expect((await sessions.listViewsOfOwner(right.id, { offset: 0, limit: 10 })).total).toBe(1);
    });

    it('when one of two concurrent transactions fails, only its own writes are undone', async () => {
      const failing = aUser();
      const succeeding = aUser();

      const outcomes = await Promise.allSettled([
        transactions.run(async () => {
          await users.add(failing);
          await sessions.add(aSession({ userId: failing.id }));
          throw new Error('left failed');
        }),
        transactions.run(async () => {
          await users.add(succeeding);
          await sessions.add(aSession({ userId: succeeding.id }));
        }),
      ]);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
      expect(await users.findById(failing.id)).toBeNull();
      expect(await users.findById(succeeding.id)).not.toBeNull();
      expect((await sessions.listViewsOfOwner(succeeding.id, { offset: 0, limit: 10 })).total).toBe(1);
    });
  });
}
