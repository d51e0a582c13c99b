import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatSessionRepository } from '../../src/application/ports/chat-session-repository.port.js';
import type { LoginRepository } from '../../src/application/ports/login-repository.port.js';
import type { MessageRepository } from '../../src/application/ports/message-repository.port.js';
import type { TransactionRunner } from '../../src/application/ports/transaction-runner.port.js';
import type { UserRepository } from '../../src/application/ports/user-repository.port.js';
import { ChatSession, type ChatSessionState } from '../../src/domain/chat-session.entity.js';
import { ConflictError } from '../../src/domain/domain-error.js';
import { Login, type LoginState } from '../../src/domain/login.entity.js';
import { Message } from '../../src/domain/message.entity.js';
import { User, type UserState } from '../../src/domain/user.entity.js';
import {
  aLogin,
  aMessage,
  aSession,
  aUser,
  at,
  DAY,
  HOUR,
  loginState,
  messageState,
  MINUTE,
  SECOND,
  sessionState,
  userState,
} from '../support/builders.js';
import type { RepositoryTarget } from './repository-target.js';

type OpenStorage = Awaited<ReturnType<RepositoryTarget['open']>>;

const EMOJI_TEXT = 'Hello 👋🏽 wörld — 你好 👨‍👩‍👧‍👦 🚀';
const INJECTION_TEXT = `Robert'); DROP TABLE users; -- "quoted" \\ backslash \`tick\``;
const DROP_TABLE = `'; DROP TABLE users; --`;

const must = <T>(value: T | null | undefined): T => {
  if (value === null || value === undefined) throw new Error('expected a value, got nothing');
  return value;
};

const idsOf = (items: readonly { readonly id: number }[]): number[] => items.map((item) => item.id);

const expectConflict = async (attempt: Promise<unknown>, field: 'username' | 'email'): Promise<void> => {
  const error: unknown = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject(
    field === 'username'
      ? { kind: 'conflict', code: 'username_taken', message: 'Username already exists' }
      : { kind: 'conflict', code: 'email_taken', message: 'Email already exists' },
  );
};

/**
 * What every persistence adapter must do, observed only through the ports. It runs unchanged
 * against memory, SQLite and MySQL, so it assumes nothing about timing, id values (only their
 * order) or how an adapter isolates concurrent transactions.
 */
export function describeRepositoryContract(target: RepositoryTarget): void {
  describe(`repository contract: ${target.name}`, () => {
    let storage: OpenStorage | undefined;
    let users: UserRepository;
    let logins: LoginRepository;
    let sessions: ChatSessionRepository;
    let messages: MessageRepository;
    let transactions: TransactionRunner;

    beforeAll(async () => {
      storage = await target.open();
      ({ users, logins, sessions, messages, transactions } = storage);
    });

    beforeEach(async () => {
      await must(storage).reset();
    });

    afterAll(async () => {
      await storage?.close();
    });

    const givenUser = async (overrides: Partial<UserState> = {}): Promise<User> => {
      const user = aUser(overrides);
      await users.add(user);
      return user;
    };

    const givenSession = async (
      owner: User,
      overrides: Partial<Omit<ChatSessionState, 'id' | 'userId'>> = {},
    ): Promise<ChatSession> => {
      const session = aSession({ ...overrides, userId: owner.id });
      await sessions.add(session);
      return session;
    };

    /*
     * The session's message count is the total of its pages, and the use cases keep it equal to its
     * live messages under the session's lock. These helpers keep it the same way, so every stored
     * session here is one the use cases could have left.
     */

    /** Stores a message of the session and records it there, as SendMessage does. */
    const addMessage = async (session: ChatSession, message: Message): Promise<void> => {
      await messages.add(message);
      session.recordMessage(message.createdAt);
      await sessions.save(session);
    };

    /** Soft-deletes a message and forgets it in its session, as DeleteMessage does. */
    const deleteMessage = async (session: ChatSession, message: Message, now: Date): Promise<void> => {
      message.delete(now);
      await messages.save(message);
      session.forgetMessage(await messages.latestSentAt(session.id));
      await sessions.save(session);
    };

    /** Soft-deletes every message of the session and empties its count, as ClearMessages does; answers how many. */
    const clearMessages = async (session: ChatSession, now: Date): Promise<number> => {
      const count = await messages.deleteAllInSession(session.id, now);
      session.clearMessages();
      await sessions.save(session);
      return count;
    };

    /** Stores `count` messages one after another, a second apart, so ids and times rise together. */
    const givenMessages = async (session: ChatSession, count: number, startOffsetMs = HOUR): Promise<Message[]> => {
      const stored: Message[] = [];
      for (let i = 0; i < count; i += 1) {
        const message = aMessage({ sessionId: session.id, createdAt: at(startOffsetMs + i * SECOND), updatedAt: at(startOffsetMs + i * SECOND) });
        await addMessage(session, message);
        stored.push(message);
      }
      return stored;
    };

    /** The total of a page is the stored session's message count. */
    const expectTotalIsMessageCount = async (
      page: { readonly total: number } | null,
      session: ChatSession,
    ): Promise<void> => {
      const stored = must(await sessions.findViewOwned(session.id, session.userId));
      expect(must(page).total).toBe(stored.messageCount);
      expect(stored.messageCount).toBe(session.messageCount);
    };

    const givenLogin = async (owner: User, overrides: Partial<LoginState> = {}): Promise<Login> => {
      const login = aLogin({ ...overrides, userId: owner.id });
      await logins.add(login);
      return login;
    };

    const expectedMessageView = (message: Message) => ({
      id: message.id,
      sessionId: message.sessionId,
      text: message.text,
      sender: message.sender,
      createdAt: message.createdAt,
      updatedAt: message.updatedAt,
    });

    const expectedSessionView = (session: ChatSession) => ({
      id: session.id,
      title: session.title,
      messageCount: session.messageCount,
      lastMessageAt: session.lastMessageAt,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
    });

    describe('users', () => {
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

    describe('deleting a user', () => {
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
        expect(await messages.latestSentAt(doomedSession.id)).toBeNull();

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

    describe('logins', () => {
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

        const found = await logins.findById(login.id);

        expect(found).toBeInstanceOf(Login);
        expect(loginState(must(found))).toEqual(loginState(login));
        expect(loginState(must(await logins.findById(bare.id)))).toEqual(loginState(bare));
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

          expect(login.rotate('first', 'second', at(DAY), 30 * DAY)).toBe('rotated');
          expect(await logins.saveRotation(login, 'first')).toBe(true);

          const found = must(await logins.findById(stored.id));
          expect(found.refreshTokenHash).toBe('second');
          expect(found.lastUsedAt.getTime()).toBe(at(DAY).getTime());
          expect(found.expiresAt.getTime()).toBe(at(31 * DAY).getTime());
          expect(found.revokedAt).toBeNull();
        });

        it('when a second rotation spends the same token, it loses and the first one stays stored', async () => {
          const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
          const mine = must(await logins.findById(stored.id));
          const theirs = must(await logins.findById(stored.id));

          mine.rotate('first', 'mine', at(DAY), 30 * DAY);
          theirs.rotate('first', 'theirs', at(DAY + 1), 30 * DAY);

          expect(await logins.saveRotation(mine, 'first')).toBe(true);
          expect(await logins.saveRotation(theirs, 'first')).toBe(false);
          expect(loginState(must(await logins.findById(stored.id)))).toEqual(loginState(mine));
        });

        it('when two rotations of one token race, exactly one wins', async () => {
          const stored = await givenLogin(await givenUser(), { refreshTokenHash: 'first' });
          const racers = await Promise.all([logins.findById(stored.id), logins.findById(stored.id)]);
          const [left, right] = racers.map(must);
          must(left).rotate('first', 'left', at(DAY), 30 * DAY);
          must(right).rotate('first', 'right', at(DAY), 30 * DAY);

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

          stale.rotate('first', 'second', at(DAY), 30 * DAY);

          expect(await logins.saveRotation(stale, 'first')).toBe(false);
          const found = must(await logins.findById(stored.id));
          expect(found.refreshTokenHash).toBe('first');
          expect(found.revokedAt?.getTime()).toBe(at(HOUR).getTime());
        });

        it('when the login does not exist, the rotation loses', async () => {
          const owner = await givenUser();
          const ghost = aLogin({ userId: owner.id, refreshTokenHash: 'first' });
          ghost.rotate('first', 'second', at(DAY), 30 * DAY);

          expect(await logins.saveRotation(ghost, 'first')).toBe(false);
          expect(await logins.findById(ghost.id)).toBeNull();
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

    describe('chat sessions', () => {
      it('when sessions are added, each gets a positive integer id greater than the one before', async () => {
        const owner = await givenUser();
        const added = [await givenSession(owner), await givenSession(await givenUser()), await givenSession(owner)];

        for (const session of added) expect(Number.isSafeInteger(session.id) && session.id > 0).toBe(true);
        const ids = idsOf(added);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(ids).size).toBe(3);
      });

      it('when a session is added, its owner finds it with every field as it was stored', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner, {
          title: `${'t'.repeat(200)}${EMOJI_TEXT}`,
          messageCount: 7,
          lastMessageAt: at(HOUR + 999),
          createdAt: at(1),
          updatedAt: at(HOUR + 999),
        });

        const found = await sessions.findOwned(session.id, owner.id);

        expect(found).toBeInstanceOf(ChatSession);
        expect(sessionState(must(found))).toEqual(sessionState(session));
      });

      it('when a title has 255 characters of emoji, it is stored whole', async () => {
        const owner = await givenUser();
        const title = '🚀'.repeat(255);
        const session = await givenSession(owner, { title });

        expect(must(await sessions.findViewOwned(session.id, owner.id)).title).toBe(title);
      });

      it("when a title holds quotes and SQL, it is stored as written", async () => {
        const owner = await givenUser();
        const session = await givenSession(owner, { title: DROP_TABLE });

        expect(must(await sessions.findOwned(session.id, owner.id)).title).toBe(DROP_TABLE);
        expect(await users.findById(owner.id)).not.toBeNull();
      });

      it('when asked for inside a transaction with a lock, the owner still gets the session', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);

        const found = await transactions.run(() => sessions.findOwned(session.id, owner.id, { lock: true }));

        expect(found?.id).toBe(session.id);
      });

      it('when the session belongs to someone else, is deleted or does not exist, it is not found', async () => {
        const owner = await givenUser();
        const stranger = await givenUser();
        const session = await givenSession(owner);
        const deleted = await givenSession(owner, { isActive: false });
        const unknownId = deleted.id + 1000;

        for (const [id, ownerId] of [
          [session.id, stranger.id],
          [deleted.id, owner.id],
          [unknownId, owner.id],
        ] as const) {
          expect(await sessions.findOwned(id, ownerId)).toBeNull();
          expect(await sessions.findOwned(id, ownerId, { lock: true })).toBeNull();
          expect(await sessions.findViewOwned(id, ownerId)).toBeNull();
        }
      });

      it('when a session is soft-deleted and saved, it is gone for its owner everywhere', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        await givenSession(owner);

        session.delete(at(DAY));
        await sessions.save(session);

        expect(await sessions.findOwned(session.id, owner.id)).toBeNull();
        expect(await sessions.findViewOwned(session.id, owner.id)).toBeNull();
        const list = await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 10 });
        expect(list.total).toBe(1);
        expect(idsOf(list.items)).not.toContain(session.id);
      });

      it('when a session view is read, it is a plain object of the stored fields', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner, { messageCount: 3, lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
        const empty = await givenSession(owner);

        expect(await sessions.findViewOwned(session.id, owner.id)).toStrictEqual(expectedSessionView(session));
        expect(await sessions.findViewOwned(empty.id, owner.id)).toStrictEqual(expectedSessionView(empty));
        expect(must(await sessions.findViewOwned(empty.id, owner.id)).lastMessageAt).toBeNull();
      });

      it('when a session is renamed and records messages, saving stores every change', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);

        session.rename('Renamed', at(DAY));
        session.recordMessage(at(DAY + 5));
        session.recordMessage(at(DAY + 6));
        await sessions.save(session);

        expect(sessionState(must(await sessions.findOwned(session.id, owner.id)))).toEqual(sessionState(session));
        expect(await sessions.findViewOwned(session.id, owner.id)).toMatchObject({
          title: 'Renamed',
          messageCount: 2,
          lastMessageAt: at(DAY + 6),
          updatedAt: at(DAY + 6),
        });
      });

      it('when a session entity is changed without saving, the stored session is unchanged', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner, { title: 'Original', lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
        const stored = structuredClone(sessionState(session));

        session.createdAt.setTime(0);
        must(session.lastMessageAt).setTime(0);
        session.rename('Changed after add', at(DAY));
        const found = must(await sessions.findOwned(session.id, owner.id));
        found.createdAt.setTime(0);
        found.updatedAt.setTime(0);
        found.rename('Changed after find', at(DAY));
        const view = must(await sessions.findViewOwned(session.id, owner.id));
        view.createdAt.setTime(0);
        view.updatedAt.setTime(0);
        must(view.lastMessageAt).setTime(0);
        const listed = must((await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 10 })).items[0]);
        listed.createdAt.setTime(0);
        listed.updatedAt.setTime(0);

        expect(sessionState(must(await sessions.findOwned(session.id, owner.id)))).toEqual(stored);
      });

      it('when a session is added for a user that does not exist, it is refused', async () => {
        await expect(sessions.add(aSession({ userId: randomUUID() }))).rejects.toThrow();
      });

      it('when two transactions update one locked session at once, neither update is lost', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const send = (text: string, sentAt: Date) =>
          transactions.run(async () => {
            const locked = must(await sessions.findOwned(session.id, owner.id, { lock: true }));
            const message = aMessage({ sessionId: session.id, text, createdAt: sentAt, updatedAt: sentAt });
            await messages.add(message);
            locked.recordMessage(sentAt);
            await sessions.save(locked);
          });

        await Promise.all([send('one', at(DAY)), send('two', at(DAY + 1))]);

        expect(must(await sessions.findViewOwned(session.id, owner.id)).messageCount).toBe(2);
      });

      describe('listing the sessions of an owner', () => {
        it('when listed, only the owner\'s active sessions come, most recently active first, ties by newest id', async () => {
          const owner = await givenUser();
          const stranger = await givenUser();
          const old = await givenSession(owner, { updatedAt: at(1 * HOUR) });
          const tiedFirst = await givenSession(owner, { updatedAt: at(2 * HOUR) });
          const tiedSecond = await givenSession(owner, { updatedAt: at(2 * HOUR) });
          const recent = await givenSession(owner, { createdAt: at(0), updatedAt: at(3 * HOUR) });
          await givenSession(owner, { isActive: false, updatedAt: at(4 * HOUR) });
          await givenSession(stranger, { updatedAt: at(5 * HOUR) });

          const list = await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 20 });

          expect(idsOf(list.items)).toEqual([recent.id, tiedSecond.id, tiedFirst.id, old.id]);
          expect(list.total).toBe(4);
          expect(list.items[0]).toStrictEqual(expectedSessionView(recent));
        });

        it('when the owner has no sessions, the list is empty with a total of zero', async () => {
          const owner = await givenUser();

          expect(await sessions.listViewsOfOwner(owner.id, { offset: 0, limit: 20 })).toEqual({ items: [], total: 0 });
        });

        it('when paged, pages follow one another without overlap, the last one partial, past the end empty', async () => {
          const owner = await givenUser();
          const added: ChatSession[] = [];
          for (let i = 0; i < 5; i += 1) added.push(await givenSession(owner, { updatedAt: at(i * MINUTE) }));
          const newestFirst = idsOf(added).reverse();

          const pages = await Promise.all(
            [0, 2, 4, 6].map((offset) => sessions.listViewsOfOwner(owner.id, { offset, limit: 2 })),
          );

          expect(pages.map((page) => idsOf(page.items))).toEqual([
            newestFirst.slice(0, 2),
            newestFirst.slice(2, 4),
            newestFirst.slice(4, 5),
            [],
          ]);
          for (const page of pages) expect(page.total).toBe(5);
        });

        it('when the count is an exact multiple of the page size, the last page is full and the next one empty', async () => {
          const owner = await givenUser();
          for (let i = 0; i < 4; i += 1) await givenSession(owner, { updatedAt: at(i * MINUTE) });

          const last = await sessions.listViewsOfOwner(owner.id, { offset: 2, limit: 2 });
          const beyond = await sessions.listViewsOfOwner(owner.id, { offset: 4, limit: 2 });

          expect(last.items).toHaveLength(2);
          expect(beyond).toEqual({ items: [], total: 4 });
        });
      });
    });

    describe('messages', () => {
      it('when messages are added, each gets a positive integer id greater than every id before it, across sessions', async () => {
        const owner = await givenUser();
        const first = await givenSession(owner);
        const second = await givenSession(await givenUser());
        const added: Message[] = [];
        for (const session of [first, second, first, second, first]) {
          const message = aMessage({ sessionId: session.id });
          await addMessage(session, message);
          added.push(message);
        }

        for (const message of added) expect(Number.isSafeInteger(message.id) && message.id > 0).toBe(true);
        const ids = idsOf(added);
        for (let i = 1; i < ids.length; i += 1) expect(must(ids[i])).toBeGreaterThan(must(ids[i - 1]));
      });

      it('when a message is added, it is found in its session with every field as it was stored', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, text: EMOJI_TEXT, sender: 'assistant', createdAt: at(HOUR + 1), updatedAt: at(HOUR + 2) });
        await addMessage(session, message);

        const found = await messages.findInSession(message.id, session.id);

        expect(found).toBeInstanceOf(Message);
        expect(messageState(must(found))).toEqual(messageState(message));
      });

      it('when text holds emoji, quotes, SQL, newlines and 5000 characters, it comes back exactly as written', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const texts = [
          EMOJI_TEXT,
          DROP_TABLE,
          INJECTION_TEXT,
          'line one\nline two\ttabbed',
          '<script>alert("x")</script>',
          '😀'.repeat(5000),
          'x'.repeat(5000),
        ];
        const added: Message[] = [];
        for (const text of texts) {
          const message = aMessage({ sessionId: session.id, text });
          await addMessage(session, message);
          added.push(message);
        }

        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));

        expect(page.items.map((item) => item.text)).toEqual(texts);
        await expectTotalIsMessageCount(page, session);
        for (const message of added) expect(must(await messages.findInSession(message.id, session.id)).text).toBe(message.text);
        expect(await users.findById(owner.id)).not.toBeNull();
      });

      it('when messages come from each sender, each sender is stored', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        for (const sender of ['user', 'assistant', 'system'] as const) await addMessage(session, aMessage({ sessionId: session.id, sender }));

        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));

        expect(page.items.map((item) => item.sender)).toEqual(['user', 'assistant', 'system']);
      });

      it('when a message is looked up in another session, deleted or unknown, it is not found', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const elsewhere = await givenSession(owner);
        const [kept, deleted] = await givenMessages(session, 2);
        await deleteMessage(session, must(deleted), at(DAY));

        expect(await messages.findInSession(must(kept).id, elsewhere.id)).toBeNull();
        expect(await messages.findInSession(must(deleted).id, session.id)).toBeNull();
        expect(await messages.findInSession(must(deleted).id + 1000, session.id)).toBeNull();
        expect(await messages.findInSession(must(kept).id, session.id)).not.toBeNull();
      });

      it('when a message is edited and saved, the new text and time are stored', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const [message] = await givenMessages(session, 1);

        must(message).edit('edited ✏️', at(DAY));
        await messages.save(must(message));

        const found = must(await messages.findInSession(must(message).id, session.id));
        expect(messageState(found)).toEqual(messageState(must(message)));
        expect(found.updatedAt.getTime()).toBe(at(DAY).getTime());
      });

      it('when a message entity is changed without saving, the stored message is unchanged', async () => {
        const owner = await givenUser();
        const session = await givenSession(owner);
        const message = aMessage({ sessionId: session.id, text: 'original' });
        await addMessage(session, message);
        const stored = structuredClone(messageState(message));

        message.edit('changed after add', at(DAY));
        message.createdAt.setTime(0);
        const found = must(await messages.findInSession(message.id, session.id));
        found.createdAt.setTime(0);
        found.updatedAt.setTime(0);
        found.delete(at(DAY));
        const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));
        must(page.items[0]).createdAt.setTime(0);
        must(page.items[0]).updatedAt.setTime(0);
        const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 }));
        must(slice.items[0]).createdAt.setTime(0);
        must((await messages.latestSentAt(session.id))).setTime(0);

        expect(messageState(must(await messages.findInSession(message.id, session.id)))).toEqual(stored);
      });

      it('when a message is added to a session that does not exist, it is refused', async () => {
        await expect(messages.add(aMessage({ sessionId: 987_654_321 }))).rejects.toThrow();
      });

      describe('a page of a session by position', () => {
        it('when read, only the session\'s live messages come, oldest first, as plain views, with their total', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const other = await givenSession(owner);
          const first = await givenMessages(session, 2, HOUR);
          await givenMessages(other, 2, 2 * HOUR);
          const second = await givenMessages(session, 2, 3 * HOUR);
          await deleteMessage(session, must(second[0]), at(DAY));
          const live = [...first, must(second[1])];

          const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 10 }));

          expect(page.total).toBe(3);
          await expectTotalIsMessageCount(page, session);
          expect(page.items).toStrictEqual(live.map(expectedMessageView));
        });

        it('when paged, pages follow one another, the last one partial, past the end empty, all with the same total', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const ids = idsOf(await givenMessages(session, 5));

          const pages = await Promise.all(
            [0, 2, 4, 6].map((offset) => messages.pageOfSession(session.id, owner.id, { offset, limit: 2 })),
          );

          expect(pages.map((page) => idsOf(must(page).items))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4), []]);
          for (const page of pages) {
            expect(must(page).total).toBe(5);
            await expectTotalIsMessageCount(page, session);
          }
        });

        it('when the count is an exact multiple of the page size, the last page is full and the next one empty', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const ids = idsOf(await givenMessages(session, 4));

          expect(idsOf(must(await messages.pageOfSession(session.id, owner.id, { offset: 2, limit: 2 })).items)).toEqual(ids.slice(2));
          expect(await messages.pageOfSession(session.id, owner.id, { offset: 4, limit: 2 })).toEqual({ items: [], total: 4 });
        });

        it('when the session has no messages, the page is empty with a total of zero', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);

          const page = await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 });
          expect(page).toEqual({ items: [], total: 0 });
          await expectTotalIsMessageCount(page, session);
        });

        it('when the total is read, it is the session\'s stored message count, not a count of rows', async () => {
          const owner = await givenUser();
          // Stored directly, not through the helpers: a count the use cases would never leave, so
          // the total shows where it comes from.
          const session = await givenSession(owner, { messageCount: 7, lastMessageAt: at(HOUR), updatedAt: at(HOUR) });
          for (const message of [aMessage({ sessionId: session.id }), aMessage({ sessionId: session.id })]) await messages.add(message);

          const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));

          expect(page.items).toHaveLength(2);
          expect(page.total).toBe(7);
          await expectTotalIsMessageCount(page, session);
        });

        it('when the session belongs to someone else, is deleted or does not exist, there is no page', async () => {
          const owner = await givenUser();
          const stranger = await givenUser();
          const session = await givenSession(owner);
          await givenMessages(session, 2);
          const deleted = await givenSession(owner);
          await givenMessages(deleted, 2);
          deleted.delete(at(DAY));
          await sessions.save(deleted);

          expect(await messages.pageOfSession(session.id, stranger.id, { offset: 0, limit: 50 })).toBeNull();
          expect(await messages.pageOfSession(deleted.id, owner.id, { offset: 0, limit: 50 })).toBeNull();
          expect(await messages.pageOfSession(deleted.id + 1000, owner.id, { offset: 0, limit: 50 })).toBeNull();
        });
      });

      describe('a slice of a session by id', () => {
        /** Five messages in the session, with messages of another session between them. */
        const givenFiveInterleaved = async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const other = await givenSession(owner);
          const ids: number[] = [];
          for (let i = 0; i < 5; i += 1) {
            ids.push(...idsOf(await givenMessages(session, 1, HOUR + i * MINUTE)));
            await givenMessages(other, 1, HOUR + i * MINUTE + SECOND);
          }
          const [m1, m2, m3, m4, m5] = ids;
          return { owner, session, ids, m1: must(m1), m2: must(m2), m3: must(m3), m4: must(m4), m5: must(m5) };
        };

        it('when no cursor is given, the latest messages come, oldest first, with more before them', async () => {
          const { owner, session, m3, m4, m5 } = await givenFiveInterleaved();

          const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 3 }));

          expect(idsOf(slice.items)).toEqual([m3, m4, m5]);
          expect(slice.hasMore).toBe(true);
        });

        it('when no cursor is given and the limit covers every message exactly or more, there is nothing more', async () => {
          const { owner, session, ids } = await givenFiveInterleaved();

          const exact = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 5 }));
          const wider = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 }));

          expect(exact).toEqual({ items: expect.any(Array), hasMore: false });
          expect(idsOf(exact.items)).toEqual(ids);
          expect(idsOf(wider.items)).toEqual(ids);
          expect(wider.hasMore).toBe(false);
        });

        it('when reading before an id, the messages just before it come, oldest first, and hasMore tells if older ones remain', async () => {
          const { owner, session, m1, m2, m3, m4 } = await givenFiveInterleaved();

          const middle = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: m4, limit: 2 }));
          const start = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: m3, limit: 2 }));
          const beforeFirst = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: m1, limit: 2 }));

          expect(middle).toStrictEqual({ items: expect.any(Array), hasMore: true });
          expect(idsOf(middle.items)).toEqual([m2, m3]);
          expect(idsOf(start.items)).toEqual([m1, m2]);
          expect(start.hasMore).toBe(false);
          expect(beforeFirst).toEqual({ items: [], hasMore: false });
        });

        it('when reading after an id, the messages just after it come, oldest first, and hasMore tells if newer ones remain', async () => {
          const { owner, session, m1, m2, m3, m4, m5 } = await givenFiveInterleaved();

          const fromStart = must(await messages.sliceOfSession(session.id, owner.id, { afterId: 0, limit: 2 }));
          const middle = must(await messages.sliceOfSession(session.id, owner.id, { afterId: m2, limit: 2 }));
          const end = must(await messages.sliceOfSession(session.id, owner.id, { afterId: m3, limit: 2 }));
          const afterLast = must(await messages.sliceOfSession(session.id, owner.id, { afterId: m5, limit: 2 }));

          expect(idsOf(fromStart.items)).toEqual([m1, m2]);
          expect(fromStart.hasMore).toBe(true);
          expect(idsOf(middle.items)).toEqual([m3, m4]);
          expect(middle.hasMore).toBe(true);
          expect(idsOf(end.items)).toEqual([m4, m5]);
          expect(end.hasMore).toBe(false);
          expect(afterLast).toEqual({ items: [], hasMore: false });
        });

        it('when a slice is read, its items are plain message views', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const added = await givenMessages(session, 2);

          const slice = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 10 }));

          expect(slice.items).toStrictEqual(added.map(expectedMessageView));
        });

        it('when messages are deleted, slices skip them in both directions', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const added = await givenMessages(session, 5);
          const [m1, m2, m3, m4, m5] = idsOf(added);
          for (const index of [1, 3]) await deleteMessage(session, must(added[index]), at(DAY));

          const latest = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 2 }));
          const beforeDeleted = must(await messages.sliceOfSession(session.id, owner.id, { beforeId: must(m4), limit: 5 }));
          const afterDeleted = must(await messages.sliceOfSession(session.id, owner.id, { afterId: must(m2), limit: 1 }));
          const afterThird = must(await messages.sliceOfSession(session.id, owner.id, { afterId: must(m3), limit: 1 }));

          expect(idsOf(latest.items)).toEqual([m3, m5]);
          expect(latest.hasMore).toBe(true);
          expect(idsOf(beforeDeleted.items)).toEqual([m1, m3]);
          expect(beforeDeleted.hasMore).toBe(false);
          expect(idsOf(afterDeleted.items)).toEqual([m3]);
          expect(afterDeleted.hasMore).toBe(true);
          expect(idsOf(afterThird.items)).toEqual([m5]);
          expect(afterThird.hasMore).toBe(false);
        });

        it('when the session has no messages, every slice is empty with nothing more', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);

          expect(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 })).toEqual({ items: [], hasMore: false });
          expect(await messages.sliceOfSession(session.id, owner.id, { afterId: 0, limit: 50 })).toEqual({ items: [], hasMore: false });
        });

        it('when the session belongs to someone else, is deleted or does not exist, there is no slice', async () => {
          const { owner, session, m3 } = await givenFiveInterleaved();
          const stranger = await givenUser();
          const deleted = await givenSession(owner);
          await givenMessages(deleted, 2);
          deleted.delete(at(DAY));
          await sessions.save(deleted);

          for (const cursor of [{ beforeId: null, limit: 10 }, { beforeId: m3, limit: 10 }, { afterId: 0, limit: 10 }]) {
            expect(await messages.sliceOfSession(session.id, stranger.id, cursor)).toBeNull();
            expect(await messages.sliceOfSession(deleted.id, owner.id, cursor)).toBeNull();
            expect(await messages.sliceOfSession(deleted.id + 1000, owner.id, cursor)).toBeNull();
          }
        });
      });

      describe('when the newest message was sent', () => {
        it('when the session has no live messages, there is no time', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);

          expect(await messages.latestSentAt(session.id)).toBeNull();
          expect(await messages.latestSentAt(session.id + 1000)).toBeNull();
        });

        it('when messages are live, it is the newest one\'s time, and falls back when that one is deleted', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const other = await givenSession(owner);
          const [older, newer] = await givenMessages(session, 2, HOUR);
          await givenMessages(other, 1, DAY);

          expect((await messages.latestSentAt(session.id))?.getTime()).toBe(must(newer).createdAt.getTime());

          await deleteMessage(session, must(newer), at(2 * DAY));
          expect((await messages.latestSentAt(session.id))?.getTime()).toBe(must(older).createdAt.getTime());

          await deleteMessage(session, must(older), at(2 * DAY));
          expect(await messages.latestSentAt(session.id)).toBeNull();
        });
      });

      describe('deleting every message of a session', () => {
        it('when cleared, every live message is gone, the count names only those that were live, and other sessions keep theirs', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const other = await givenSession(owner);
          const added = await givenMessages(session, 4);
          await deleteMessage(session, must(added[0]), at(DAY));
          const kept = await givenMessages(other, 2);

          expect(await clearMessages(session, at(2 * DAY))).toBe(3);

          const page = await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 });
          expect(page).toEqual({ items: [], total: 0 });
          await expectTotalIsMessageCount(page, session);
          expect(await messages.sliceOfSession(session.id, owner.id, { beforeId: null, limit: 50 })).toEqual({ items: [], hasMore: false });
          for (const message of added) expect(await messages.findInSession(message.id, session.id)).toBeNull();
          expect(await messages.latestSentAt(session.id)).toBeNull();
          const otherPage = must(await messages.pageOfSession(other.id, owner.id, { offset: 0, limit: 50 }));
          expect(idsOf(otherPage.items)).toEqual(idsOf(kept));
          expect(otherPage.total).toBe(2);
          await expectTotalIsMessageCount(otherPage, other);
        });

        it('when cleared twice, or when empty, nothing is counted', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          await givenMessages(session, 2);

          expect(await clearMessages(session, at(DAY))).toBe(2);
          expect(await clearMessages(session, at(DAY))).toBe(0);
          expect(await clearMessages(await givenSession(owner), at(DAY))).toBe(0);
        });

        it('when cleared, new messages still get ids above the cleared ones and are listed alone', async () => {
          const owner = await givenUser();
          const session = await givenSession(owner);
          const cleared = await givenMessages(session, 2);
          await clearMessages(session, at(DAY));

          const [fresh] = await givenMessages(session, 1, 2 * DAY);

          expect(must(fresh).id).toBeGreaterThan(Math.max(...idsOf(cleared)));
          const page = must(await messages.pageOfSession(session.id, owner.id, { offset: 0, limit: 50 }));
          expect(page).toEqual({ items: [expectedMessageView(must(fresh))], total: 1 });
          await expectTotalIsMessageCount(page, session);
        });
      });
    });

    describe('transactions', () => {
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
          await addMessage(session, aMessage({ sessionId: session.id }));
          expect(must(await messages.pageOfSession(session.id, user.id, { offset: 0, limit: 10 })).total).toBe(1);
        });
      });

      it('when the work throws, the same error comes out and every write made in it is undone', async () => {
        const owner = await givenUser({ username: 'kept_owner' });
        const ownerBefore = structuredClone(userState(owner));
        const session = await givenSession(owner, { title: 'Kept title' });
        const [message] = await givenMessages(session, 1);
        const sessionBefore = structuredClone(sessionState(session));
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
          session.recordMessage(at(DAY));
          await sessions.save(session);
          await messages.add(aMessage({ sessionId: session.id }));
          must(message).edit('changed text', at(DAY));
          await messages.save(must(message));
          await logins.add(newLogin);
          await logins.revokeAllOfUser(owner.id, at(DAY));
          await clearMessages(session, at(DAY));
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
  });
}
