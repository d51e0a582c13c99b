import type { TransactionRunner } from '../../../application/ports/transaction-runner.port.js';
import type { EntityManagerScope } from './entity-manager-scope.js';

export class MikroOrmTransactionRunner implements TransactionRunner {
  constructor(private readonly scope: EntityManagerScope) {}

  /**
   * The scope's transaction: on MySQL one it runs itself on a pooled connection, on SQLite
   * MikroORM's `em.transactional`. A nested run joins the outer transaction rather than opening a
   * savepoint, as the port promises. Failures leave through the driver-error translation.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.scope.transaction(work);
  }
}
