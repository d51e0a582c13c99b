import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionContext } from '@mikro-orm/core';

/**
 * MikroORM finds a transaction's EntityManager through an `AsyncLocalStorage` (its
 * `TransactionContext`). On Node 20, once such a storage has run anything, a hook follows every
 * promise the process makes from then on, whether or not any store is set: one transaction at
 * start-up and every later request pays for it (a `/health` answer measured 1.22 × the CPU, an
 * `await` in a loop 3 ×). So every transaction of this adapter starts through here, which counts
 * the ones in flight and switches the storage off again when the last one has settled: reads and
 * lists between writes run without the hook. The next transaction's `run` switches it back on.
 *
 * Nothing is lost by switching it off: a store is only ever read inside a transaction's own
 * callbacks, all of which have settled by then. A callback left running past its transaction (none
 * is) would find no transaction rather than a finished one.
 */
const storage: unknown = (TransactionContext as unknown as { storage?: unknown }).storage;

/** Whether MikroORM's storage is where this gate looks for it (a test holds an upgrade to it). */
export const transactionStorageFound = storage instanceof AsyncLocalStorage;

let inFlight = 0;

/** Runs `start` (which opens a MikroORM transaction) as one of the transactions in flight. */
export const inTransactionContext = async <T>(start: () => Promise<T>): Promise<T> => {
  inFlight += 1;
  try {
    return await start();
  } finally {
    inFlight -= 1;
    if (inFlight === 0 && transactionStorageFound) (storage as AsyncLocalStorage<unknown>).disable();
  }
};
