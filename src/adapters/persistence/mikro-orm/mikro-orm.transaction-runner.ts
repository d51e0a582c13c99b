import { type EntityManager, TransactionPropagation } from '@mikro-orm/core';
import type { TransactionRunner } from '../../../application/ports/transaction-runner.port.js';
import { translateDriverError } from './translate-driver-error.js';

export class MikroOrmTransactionRunner implements TransactionRunner {
  constructor(private readonly root: EntityManager) {}

  /**
   * `em.transactional` forks an EntityManager for the work and makes it the context every
   * repository call inside resolves to. REQUIRED propagation: a nested run joins the outer
   * transaction rather than opening a savepoint, as the port promises.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.root.transactional(() => work(), { propagation: TransactionPropagation.REQUIRED });
    } catch (error) {
      throw translateDriverError(error);
    }
  }
}
