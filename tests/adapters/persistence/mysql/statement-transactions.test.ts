/**
 * On MySQL a transaction runs on one connection of the statement pool, begun and ended by the
 * scope rather than by MikroORM's `em.transactional`. Plain statements and entity operations inside
 * it are one transaction: each sees what the other wrote, a failure undoes both, and a call that
 * outlives the transaction is refused rather than run outside it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { aMessage, aSession, aUser } from '../../../support/builders.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';

describeWithMySql('MySQL: transactions on the statement pool', () => {
  let database: MySqlTestDatabase;
  let persistence: MikroOrmPersistence;

  beforeAll(async () => {
    database = await createMySqlTestDatabase({ min: 0, max: 2 });
    persistence = await openMikroOrmPersistence(database.options, { migrate: true });
  });

  afterAll(async () => {
    await persistence?.close();
    await database?.drop();
  });

  const givenSession = async (title = 'Before') => {
    const user = aUser();
    await persistence.users.add(user);
    const session = aSession({ userId: user.id, title });
    await persistence.sessions.add(session);
    return { user, session };
  };

  it('when a transaction adds a message by plain statements, an entity read inside it finds that message before the commit', async () => {
    const { session } = await givenSession();
    const message = aMessage({ sessionId: session.id, text: 'not committed yet' });

    const found = await persistence.transactions.run(async () => {
      await persistence.messages.add(message);
      // An entity read (MikroORM's findOne): on another connection it could not see the row.
      return persistence.messages.findInSession(message.id, session.id);
    });

    expect(found?.text).toBe('not committed yet');
  });

  it('when a transaction that wrote by plain statements and by entity saves fails, neither write is kept', async () => {
    const { user, session } = await givenSession('Kept title');
    const message = aMessage({ sessionId: session.id, text: 'rolled back' });

    const failure = await persistence.transactions
      .run(async () => {
        await persistence.messages.add(message);
        const owned = await persistence.sessions.findOwned(session.id, user.id, { lock: true });
        owned!.rename('Changed title', new Date());
        await persistence.sessions.save(owned!);
        throw new Error('the work fails after both writes');
      })
      .catch((error: unknown) => error);

    expect(failure).toEqual(new Error('the work fails after both writes'));
    expect(await persistence.messages.findInSession(message.id, session.id)).toBeNull();
    expect((await persistence.sessions.findViewOwned(session.id, user.id))?.title).toBe('Kept title');
    expect((await persistence.sessions.findViewOwned(session.id, user.id))?.messageCount).toBe(0);
  });

  it('when such a transaction succeeds, both writes are kept', async () => {
    const { user, session } = await givenSession('Old title');
    const message = aMessage({ sessionId: session.id, text: 'committed' });

    await persistence.transactions.run(async () => {
      await persistence.messages.add(message);
      const owned = await persistence.sessions.findOwned(session.id, user.id, { lock: true });
      owned!.rename('New title', new Date());
      await persistence.sessions.save(owned!);
    });

    expect((await persistence.messages.findInSession(message.id, session.id))?.text).toBe('committed');
    const view = await persistence.sessions.findViewOwned(session.id, user.id);
    expect(view).toMatchObject({ title: 'New title', messageCount: 1 });
  });

  it('when the work leaves a call running past its transaction, that call is refused, plain statement or entity read alike', async () => {
    const { user, session } = await givenSession();
    let plainLater: Promise<unknown> = Promise.resolve();
    let entityLater: Promise<unknown> = Promise.resolve();
    const afterEnd = new Promise<void>((resolve) => setTimeout(resolve, 100));

    await persistence.transactions.run(async () => {
      plainLater = afterEnd.then(() => persistence.sessions.findViewOwned(session.id, user.id));
      entityLater = afterEnd.then(() => persistence.users.findById(user.id));
    });

    await expect(plainLater).rejects.toThrow('Transaction query already complete');
    await expect(entityLater).rejects.toThrow('Transaction query already complete');
    // Outside any transaction, the same reads work.
    expect(await persistence.sessions.findViewOwned(session.id, user.id)).not.toBeNull();
  });
});
