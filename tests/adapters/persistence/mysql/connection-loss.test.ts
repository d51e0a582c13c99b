import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../../../../src/adapters/persistence/mikro-orm/migrate-database.js';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../../../src/adapters/persistence/mikro-orm/mikro-orm-persistence.js';
import { UnavailableError } from '../../../../src/domain/domain-error.js';
import { aSession, aUser } from '../../../support/builders.js';
import { createMySqlTestDatabase, describeWithMySql, type MySqlTestDatabase } from '../../../support/mysql-test-database.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';

describeWithMySql('MySQL: losing the database and getting it back', () => {
  let database: MySqlTestDatabase;
  let proxy: TcpProxy;
  let persistence: MikroOrmPersistence;

  beforeAll(async () => {
    database = await createMySqlTestDatabase();
    await migrateDatabase(database.options);
    proxy = new TcpProxy(database.options.host, database.options.port);
    await proxy.start();
    persistence = await openMikroOrmPersistence({
      ...database.options,
      host: '127.0.0.1',
      port: proxy.port,
      pool: { min: 0, max: 4, acquireTimeoutMs: 2_000, connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 },
    });
  });

  afterAll(async () => {
    await persistence?.close();
    await proxy?.stop();
    await database?.drop();
  });

  const outcomeOf = (attempt: Promise<unknown>): Promise<unknown> =>
    attempt.then(
      () => 'succeeded',
      (reason: unknown) => reason,
    );

  it('when the connection is cut, calls fail fast with UnavailableError, ping says no, and once it is back everything works again', async () => {
    const owner = aUser();
    await persistence.users.add(owner);
    expect(await persistence.ping()).toBe(true);

    await proxy.stop();
    const started = Date.now();
    const read = await outcomeOf(persistence.users.findById(owner.id));
    const write = await outcomeOf(persistence.sessions.add(aSession({ userId: owner.id })));
    const transaction = await outcomeOf(persistence.transactions.run(() => persistence.users.findById(owner.id)));
    const view = await outcomeOf(persistence.messages.sliceOfSession(1, owner.id, { beforeId: null, limit: 10 }));

    for (const outcome of [read, write, transaction, view]) expect(outcome).toBeInstanceOf(UnavailableError);
    expect(await persistence.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);

    await proxy.start();
    expect(await persistence.ping()).toBe(true);
    expect((await persistence.users.findById(owner.id))?.id).toBe(owner.id);
    const session = aSession({ userId: owner.id });
    await persistence.sessions.add(session);
    expect(await persistence.sessions.findViewOwned(session.id, owner.id)).not.toBeNull();
  });
});
