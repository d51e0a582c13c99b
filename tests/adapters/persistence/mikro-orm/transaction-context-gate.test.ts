/**
 * MikroORM's transaction storage is switched off between transactions (it makes every promise of
 * the process dearer while on), and never while one is in flight: each transaction's repository
 * calls keep finding their own transaction, however the transactions overlap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactionContext } from '@mikro-orm/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inTransactionContext, transactionStorageFound } from '../../../../src/adapters/persistence/mikro-orm/transaction-context-gate.js';
import { aUser } from '../../../support/builders.js';
import { type MikroOrmFixture, openMikroOrmFixture } from '../../../support/open-mikro-orm-fixture.js';

/** Node's `AsyncLocalStorage` keeps whether it is on in `enabled`. */
const storageIsOn = (): boolean => (TransactionContext as unknown as { storage: { enabled: boolean } }).storage.enabled;

const settled = (): { promise: Promise<void>; release: () => void } => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

describe('the transaction storage gate', () => {
  let directory: string;
  let storage: MikroOrmFixture;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'chat-gate-'));
    storage = await openMikroOrmFixture({ kind: 'sqlite', path: join(directory, 'chat.sqlite') });
  });

  beforeEach(async () => {
    await storage.reset();
  });

  afterAll(async () => {
    await storage?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds MikroORM\'s transaction storage where it looks (an upgrade that moves it fails here)', () => {
    expect(transactionStorageFound).toBe(true);
  });

  it('when the last transaction settles, the storage is off; the next one switches it on again', async () => {
    await storage.transactions.run(async () => {
      expect(storageIsOn()).toBe(true);
      await storage.users.add(aUser({ username: 'first' }));
    });
    expect(storageIsOn()).toBe(false);

    await storage.transactions.run(async () => {
      expect(storageIsOn()).toBe(true);
      expect(TransactionContext.getEntityManager()).toBeDefined();
    });
    expect(storageIsOn()).toBe(false);
  });

  // Through MikroORM's own context, not the database: SQLite has one connection, so two of its
  // transactions never overlap; MySQL's do, and this is what each of them runs in.
  it('when one of two overlapping transactions ends, the other still finds its own', async () => {
    const firstEnded = settled();
    const secondEm = storage.orm.em.fork();
    const second = inTransactionContext(() =>
      TransactionContext.create(secondEm, async () => {
        await firstEnded.promise;
        expect(storageIsOn()).toBe(true);
        return TransactionContext.getEntityManager();
      }),
    );
    await inTransactionContext(() => TransactionContext.create(storage.orm.em.fork(), () => Promise.resolve()));
    firstEnded.release();

    expect(await second).toBe(secondEm);
    expect(storageIsOn()).toBe(false);
  });

  it('when a transaction fails, the storage is off after it as well', async () => {
    await expect(storage.transactions.run(() => Promise.reject(new Error('roll back')))).rejects.toThrow('roll back');
    expect(storageIsOn()).toBe(false);
  });

  it('a nested transaction joins the outer one and leaves the storage on for the rest of it', async () => {
    await storage.transactions.run(async () => {
      const outer = TransactionContext.getEntityManager();
      await storage.transactions.run(() => storage.users.add(aUser({ username: 'inner' })));
      expect(storageIsOn()).toBe(true);
      expect(TransactionContext.getEntityManager()).toBe(outer);
    });
    expect(storageIsOn()).toBe(false);
  });
});
