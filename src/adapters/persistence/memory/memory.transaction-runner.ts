import type { TransactionRunner } from '../../../application/ports/transaction-runner.port.js';
import type { MemoryDatabase } from './memory-database.js';

export class MemoryTransactionRunner implements TransactionRunner {
  constructor(private readonly database: MemoryDatabase) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }
}
