import { describe, expect, it } from 'vitest';
import { MemoryChatSessionRepository } from '../../src/adapters/persistence/memory/memory-chat-session.repository.js';
import { MemoryDatabase } from '../../src/adapters/persistence/memory/memory-database.js';
import { MemoryLoginRepository } from '../../src/adapters/persistence/memory/memory-login.repository.js';
import { MemoryMessageRepository } from '../../src/adapters/persistence/memory/memory-message.repository.js';
import { MemoryTransactionRunner } from '../../src/adapters/persistence/memory/memory.transaction-runner.js';
import { MemoryUserRepository } from '../../src/adapters/persistence/memory/memory-user.repository.js';
import { aSession, aUser } from '../support/builders.js';
import { describeRepositoryContracts } from './repository-contracts.js';

const openMemory = () => {
  const database = new MemoryDatabase();
  return {
    database,
    users: new MemoryUserRepository(database),
    logins: new MemoryLoginRepository(database),
    sessions: new MemoryChatSessionRepository(database),
    messages: new MemoryMessageRepository(database),
    transactions: new MemoryTransactionRunner(database),
    reset: () => database.clear(),
    close: async () => undefined,
  };
};

describeRepositoryContracts({ name: 'memory', open: async () => openMemory() });

/** A promise the test resolves by hand, to hold a transaction open at a known point. */
const gate = () => {
  let open: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
};

const watch = (promise: Promise<unknown>): { done: boolean } => {
  const state = { done: false };
  const finish = () => {
    state.done = true;
  };
  promise.then(finish, finish);
  return state;
};

const aFewTurns = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

// Isolation differs between engines (and SQLite has one connection), so the memory database's own
// answer is pinned here rather than in the shared contract.
describe('memory database beyond the contract', () => {
  it('while a transaction is open, a reader outside it sees only committed rows', async () => {
    const { users, transactions } = openMemory();
    const user = aUser();
    const entered = gate();
    const finish = gate();

    const running = transactions.run(async () => {
      await users.add(user);
      entered.open();
      await finish.closed;
    });
    await entered.closed;

    expect(await users.findById(user.id)).toBeNull();
    finish.open();
    await running;
    expect(await users.findById(user.id)).not.toBeNull();
  });

  it('while a transaction is open, a write outside it waits, and survives the transaction rolling back', async () => {
    const { users, transactions } = openMemory();
    const inside = aUser();
    const outside = aUser();
    const entered = gate();
    const finish = gate();

    const running = transactions.run(async () => {
      await users.add(inside);
      entered.open();
      await finish.closed;
      throw new Error('rolled back');
    });
    await entered.closed;
    const write = users.add(outside);
    const writing = watch(write);
    await aFewTurns();

    expect(writing.done).toBe(false);
    finish.open();
    await expect(running).rejects.toThrow('rolled back');
    await write;
    expect(await users.findById(inside.id)).toBeNull();
    expect(await users.findById(outside.id)).not.toBeNull();
  });

  it('when an insert is rolled back, its id is not handed out again', async () => {
    const { users, sessions, transactions } = openMemory();
    const owner = aUser();
    await users.add(owner);
    const undone = aSession({ userId: owner.id });

    await expect(
      transactions.run(async () => {
        await sessions.add(undone);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const kept = aSession({ userId: owner.id });
    await sessions.add(kept);

    expect(kept.id).toBeGreaterThan(undone.id);
  });

  it('when cleared, every table is empty and ids start again at 1', async () => {
    const { database, users, sessions } = openMemory();
    const owner = aUser();
    await users.add(owner);
    await sessions.add(aSession({ userId: owner.id }));

    await database.clear();
    const fresh = aUser();
    await users.add(fresh);
    const session = aSession({ userId: fresh.id });
    await sessions.add(session);

    expect(await users.findById(owner.id)).toBeNull();
    expect(session.id).toBe(1);
  });

  it('when work started inside a transaction outlives it, it no longer joins that transaction but waits its turn', async () => {
    const { users, transactions } = openMemory();
    const straggler = aUser();
    const later = gate();
    let pending: Promise<void> = Promise.resolve();

    await transactions.run(async () => {
      pending = later.closed.then(() => users.add(straggler));
    });
    const next = gate();
    const blocking = transactions.run(() => next.closed);
    later.open();
    const straggling = watch(pending);
    await aFewTurns();

    expect(straggling.done).toBe(false);
    next.open();
    await blocking;
    await pending;
    expect(await users.findById(straggler.id)).not.toBeNull();
  });
});
