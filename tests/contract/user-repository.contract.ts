import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/domain-error.js';
import { User } from '../../src/domain/user.entity.js';
import { aUser, at, DAY, userState } from '../support/builders.js';
import { expectConflict, must, useRepositoryStorage } from './repository-contract-support.js';
import type { RepositoryTarget } from './repository-target.js';

/**
 * What every UserRepository must do, observed only through the port: a user comes back as it was
 * stored, usernames and emails are unique whatever their letter case (under a race too), and what a
 * caller holds is a copy, never the stored row. It runs unchanged against memory, SQLite and MySQL,
 * so it assumes nothing about timing or how an adapter isolates concurrent writes.
 */
export function describeUserRepositoryContract(target: RepositoryTarget): void {
  describe(`UserRepository contract: ${target.name}`, () => {
    const { users, givenUser } = useRepositoryStorage(target);

    it('when a user is added, it is found by id with every field as it was stored', async () => {
      const user = await givenUser({
        username: 'u'.repeat(80),
        email: `${'e'.repeat(108)}@example.com`,
        isActive: false,
        isVerified: true,
        createdAt: at(1),
        updatedAt: at(2 * DAY + 123),
      });

      const found = await users.findById(user.id);

      expect(found).toBeInstanceOf(User);
      expect(userState(must(found))).toEqual(userState(user));
    });

    it('when nothing matches, every lookup answers null', async () => {
      await givenUser({ username: 'someone', email: 'someone@example.com' });

      expect(await users.findById(randomUUID())).toBeNull();
      expect(await users.findByUsername('nobody')).toBeNull();
      expect(await users.findByEmail('nobody@example.com')).toBeNull();
    });

    it('when looked up by username in another letter case, the user is found', async () => {
      const user = await givenUser({ username: 'Alice_Smith' });
      await givenUser({ username: 'alice_smithy' });

      expect((await users.findByUsername('alice_smith'))?.id).toBe(user.id);
      expect((await users.findByUsername('ALICE_SMITH'))?.id).toBe(user.id);
      expect((await users.findByUsername('Alice_Smith'))?.username).toBe('Alice_Smith');
    });

    it('when looked up by email in another letter case, the user is found', async () => {
      const user = await givenUser({ email: 'Alice.Smith@Example.com' });

      expect((await users.findByEmail('alice.smith@example.com'))?.id).toBe(user.id);
      expect((await users.findByEmail('ALICE.SMITH@EXAMPLE.COM'))?.id).toBe(user.id);
      expect((await users.findByEmail('Alice.Smith@Example.com'))?.email).toBe('Alice.Smith@Example.com');
    });

    it('when a username is taken in another letter case, adding is refused with "Username already exists"', async () => {
      await givenUser({ username: 'bob_the_builder' });
      const rival = aUser({ username: 'BOB_The_Builder' });

      await expectConflict(users.add(rival), 'username');
      expect(await users.findById(rival.id)).toBeNull();
    });

    it('when an email is taken in another letter case, adding is refused with "Email already exists"', async () => {
      await givenUser({ email: 'bob@example.com' });
      const rival = aUser({ email: 'BOB@Example.COM' });

      await expectConflict(users.add(rival), 'email');
      expect(await users.findById(rival.id)).toBeNull();
    });

    it('when both the username and the email are taken, the username conflict is the one reported', async () => {
      const taken = await givenUser();

      await expectConflict(users.add(aUser({ username: taken.username, email: taken.email })), 'username');
    });

    it('when a user renames into a username taken in another letter case, saving is refused and nothing changes', async () => {
      await givenUser({ username: 'carol' });
      const user = await givenUser({ username: 'dave' });

      user.rename('CAROL', at(DAY));
      await expectConflict(users.save(user), 'username');

      expect(must(await users.findById(user.id)).username).toBe('dave');
    });

    it('when a user changes to an email taken in another letter case, saving is refused and nothing changes', async () => {
      await givenUser({ email: 'carol@example.com' });
      const user = await givenUser({ email: 'dave@example.com' });

      user.changeEmail('Carol@Example.com', at(DAY));
      await expectConflict(users.save(user), 'email');

      expect(must(await users.findById(user.id)).email).toBe('dave@example.com');
    });

    it('when a user saves a new letter case of its own username and email, it is no conflict', async () => {
      const user = await givenUser({ username: 'erin', email: 'erin@example.com' });

      user.rename('Erin', at(DAY));
      user.changeEmail('Erin@Example.com', at(DAY));
      await users.save(user);

      const found = must(await users.findById(user.id));
      expect(found.username).toBe('Erin');
      expect(found.email).toBe('Erin@Example.com');
    });

    it('when a user is saved, every changed field is stored', async () => {
      const user = await givenUser({ isVerified: true });

      user.rename('frank_renamed', at(DAY));
      user.changeEmail('frank.new@example.com', at(DAY + 1));
      user.changePasswordHash('$2b$12$another-hash', at(DAY + 2));
      user.deactivate(at(DAY + 3));
      await users.save(user);

      const found = must(await users.findById(user.id));
      expect(userState(found)).toEqual(userState(user));
      expect(found.isVerified).toBe(false);
      expect(found.updatedAt.getTime()).toBe(at(DAY + 3).getTime());
    });

    it('when a username is given up by renaming, another user may take it', async () => {
      const first = await givenUser({ username: 'grace' });
      first.rename('grace_old', at(DAY));
      await users.save(first);

      const second = await givenUser({ username: 'Grace' });

      expect((await users.findByUsername('grace'))?.id).toBe(second.id);
    });

    it('when the added entity is changed afterwards, the stored user keeps its state until saved', async () => {
      const user = await givenUser({ username: 'heidi', email: 'heidi@example.com' });
      const createdAt = user.createdAt.getTime();

      user.rename('heidi_changed', at(DAY));
      user.changeEmail('changed@example.com', at(DAY));
      user.createdAt.setTime(0);

      const found = must(await users.findById(user.id));
      expect(found.username).toBe('heidi');
      expect(found.email).toBe('heidi@example.com');
      expect(found.createdAt.getTime()).toBe(createdAt);
    });

    it('when a returned user is changed without saving, the stored user is unchanged', async () => {
      const user = await givenUser({ username: 'ivan' });
      const found = must(await users.findByUsername('ivan'));

      found.createdAt.setTime(0);
      found.updatedAt.setTime(0);
      found.rename('ivan_changed', at(DAY));
      found.deactivate(at(DAY));

      expect(userState(must(await users.findById(user.id)))).toEqual(userState(user));
      expect(must(await users.findByEmail(user.email)).isActive).toBe(true);
    });

    it('when twenty users race for one username, exactly one is stored and the others get a conflict', async () => {
      const rivals = Array.from({ length: 20 }, (_, i) => aUser({ username: i % 2 === 0 ? 'race_winner' : 'RACE_WINNER' }));

      const outcomes = await Promise.allSettled(rivals.map((rival) => users.add(rival)));

      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(19);
      for (const loser of losers) {
        expect(loser.reason).toBeInstanceOf(ConflictError);
        expect(loser.reason).toMatchObject({ code: 'username_taken', message: 'Username already exists' });
      }
      const stored = must(await users.findByUsername('race_winner'));
      expect(rivals[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')]?.id).toBe(stored.id);
    });

    it('when twenty users race for one email, exactly one is stored and the others get a conflict', async () => {
      const rivals = Array.from({ length: 20 }, () => aUser({ email: 'race@example.com' }));

      const outcomes = await Promise.allSettled(rivals.map((rival) => users.add(rival)));

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(losers).toHaveLength(19);
      for (const loser of losers) expect(loser.reason).toMatchObject({ code: 'email_taken' });
    });

    describe('the view of a user', () => {
      const expectedUserView = (user: User) => ({
        id: user.id,
        username: user.username,
        email: user.email,
        isActive: user.isActive,
        isVerified: user.isVerified,
        createdAt: user.createdAt,
        updatedAt: user.updatedAt,
      });

      it('when a user is viewed by id, the view is a plain object of every stored field but the hash', async () => {
        const inactive = await givenUser({
          username: 'u'.repeat(80),
          email: `${'e'.repeat(108)}@example.com`,
          isActive: false,
          isVerified: true,
          createdAt: at(1),
          updatedAt: at(2 * DAY + 123),
        });
        const active = await givenUser({ isActive: true, isVerified: false });

        for (const user of [inactive, active]) {
          const view = must(await users.findViewById(user.id));

          // Strict: a plain object (no entity), real Dates and booleans, and no other key.
          expect(view).toStrictEqual(expectedUserView(user));
          expect(Object.keys(view).sort()).toEqual(
            ['createdAt', 'email', 'id', 'isActive', 'isVerified', 'updatedAt', 'username'],
          );
          expect(JSON.stringify(view)).not.toContain(user.passwordHash);
        }
      });

      it('when a user is saved, the view shows the saved state', async () => {
        const user = await givenUser({ isVerified: true });

        user.rename('viewed_renamed', at(DAY));
        user.changeEmail('viewed.new@example.com', at(DAY + 1));
        user.deactivate(at(DAY + 2));
        await users.save(user);

        expect(await users.findViewById(user.id)).toStrictEqual(expectedUserView(user));
      });

      it('when a returned view is changed, the stored user is unchanged', async () => {
        const user = await givenUser();
        const view = must(await users.findViewById(user.id));

        view.createdAt.setTime(0);
        view.updatedAt.setTime(0);

        expect(await users.findViewById(user.id)).toStrictEqual(expectedUserView(user));
      });

      it('when no user has the id, there is no view', async () => {
        await givenUser();

        expect(await users.findViewById(randomUUID())).toBeNull();
      });
    });

    it('when an unknown user is deleted, nothing happens', async () => {
      const user = await givenUser();

      await users.delete(randomUUID());

      expect(await users.findById(user.id)).not.toBeNull();
    });
  });
}
