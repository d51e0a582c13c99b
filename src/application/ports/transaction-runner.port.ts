export interface TransactionRunner {
  /**
   * Runs `work` in one transaction: every repository call inside it commits together or not at
   * all. Nested calls join the outer transaction.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export const TransactionRunner = Symbol.for('chat-backend.TransactionRunner');
