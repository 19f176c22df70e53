import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';
import type { Executor } from './database.js';

type AfterCommit = () => void;

/**
 * Transactions with after-commit callbacks: work that must only happen once the rows are
 * visible to others (waking the job runner) is registered inside the transaction and runs when
 * it has committed; a rolled-back transaction drops it.
 */
export function createTransactions(db: Kysely<DB>) {
  const pending = new WeakMap<Transaction<DB>, AfterCommit[]>();

  async function transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    const callbacks: AfterCommit[] = [];
    const result = await db.transaction().execute(async (trx) => {
      pending.set(trx, callbacks);
      return work(trx);
    });
    for (const callback of callbacks) callback();
    return result;
  }

  /**
   * Runs `callback` after `executor`'s transaction commits, or now when `executor` is not a
   * transaction. A transaction not opened by `transaction()` has no commit hook: the callback
   * runs on the next turn, and the runner's poll is the safety net.
   */
  function afterCommit(executor: Executor, callback: AfterCommit): void {
    if (!executor.isTransaction) {
      callback();
      return;
    }
    const callbacks = pending.get(executor as Transaction<DB>);
    if (callbacks === undefined) setImmediate(callback);
    else callbacks.push(callback);
  }

  return { transaction, afterCommit };
}
