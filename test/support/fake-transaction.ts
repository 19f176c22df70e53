import type { Kysely, Transaction } from 'kysely';
import type { Database, Executor } from '../../src/infra/db/database.js';
import type { DB } from '../../src/infra/db/schema.js';
import type { NewJob } from '../../src/infra/queue/job-queue.js';
import type { AuditEvent, AuditService } from '../../src/modules/audit/audit.service.js';
import type { JobQueue } from '../../src/infra/queue/job-queue.js';

/**
 * A stand-in for the database's transactions in service unit tests. Fakes change their
 * in-memory rows through `setIn` / `deleteIn` / `pushTo`: inside a transaction the change is
 * seen at once by later reads of the same transaction, and undone when the work throws or the
 * commit fails, as with a real one. `failNextCommits` makes the next commits throw (e.g. a
 * serialization failure, as a lost race does). The queue and audit fakes keep what committed in
 * `jobs` and `audits`, and refuse to run outside a transaction.
 */
export function fakeTransactions() {
  const undoLogs = new Map<Executor, (() => void)[]>();
  const commitErrors: unknown[] = [];
  const jobs: NewJob[] = [];
  const audits: AuditEvent[] = [];
  let transactions = 0;

  /** Outside any transaction: the plain database handle (the fakes never query it). */
  const db = { isTransaction: false } as unknown as Kysely<DB>;

  const database: Pick<Database, 'db' | 'transaction'> = {
    db,
    async transaction(work) {
      transactions += 1;
      const trx = { isTransaction: true } as unknown as Transaction<DB>;
      const undo: (() => void)[] = [];
      undoLogs.set(trx, undo);
      try {
        const result = await work(trx);
        if (commitErrors.length > 0) throw commitErrors.shift();
        return result;
      } catch (error) {
        for (const step of undo.reverse()) step();
        throw error;
      } finally {
        undoLogs.delete(trx);
      }
    },
  };

  /** Applies a change now; inside a transaction, `undo` reverts it on a rollback. */
  function change(executor: Executor | undefined, apply: () => void, undo: () => void): void {
    apply();
    const log = executor === undefined ? undefined : undoLogs.get(executor);
    log?.push(undo);
  }

  function setIn<K, V>(executor: Executor | undefined, map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const before = map.get(key);
    change(
      executor,
      () => map.set(key, value),
      () => (had ? map.set(key, before as V) : map.delete(key)),
    );
  }

  function deleteIn<K, V>(executor: Executor | undefined, map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    const before = map.get(key) as V;
    change(
      executor,
      () => map.delete(key),
      () => map.set(key, before),
    );
  }

  function pushTo<T>(executor: Executor | undefined, list: T[], item: T): void {
    change(
      executor,
      () => list.push(item),
      () => {
        list.splice(list.lastIndexOf(item), 1);
      },
    );
  }

  /** Throws unless `executor` is a transaction that is open now. */
  function assertInTransaction(executor: Executor | undefined, what: string): void {
    if (executor === undefined || !undoLogs.has(executor)) {
      throw new Error(`${what} ran outside a transaction`);
    }
  }

  const queue: Pick<JobQueue, 'enqueue'> = {
    async enqueue(job, executor) {
      assertInTransaction(executor, 'enqueue');
      pushTo(executor, jobs, job);
      return `job-${jobs.length}`;
    },
  };

  const audit: Pick<AuditService, 'record'> = {
    async record(event, trx) {
      assertInTransaction(trx, 'audit.record');
      pushTo(trx, audits, event);
    },
  };

  return {
    database,
    db,
    queue,
    audit,
    jobs,
    audits,
    setIn,
    deleteIn,
    pushTo,
    assertInTransaction,
    failNextCommits(...errors: unknown[]) {
      commitErrors.push(...errors);
    },
    get transactions() {
      return transactions;
    },
  };
}

/** An error as the database reports a lost race on a unique index (SQLite). */
export const uniqueViolation = () =>
  Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });

/** An error as PostgreSQL reports a serialization failure. */
export const serializationFailure = () =>
  Object.assign(new Error('could not serialize access'), { code: '40001' });
