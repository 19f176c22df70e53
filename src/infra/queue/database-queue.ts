import type { Database, Executor } from '../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { uuidv7 } from '../../shared/ids.js';
import type { JobQueue, JobRow, JobStatusAfterFailure, NewJob, RetryPolicy } from './job-queue.js';

const INTERRUPTED = 'interrupted: the worker stopped before finishing (crash or restart)';

/**
 * The job queue in the database: the `jobs` table is the source of truth, so accepted work
 * survives a crash or restart and commits with the change that caused it. Claims are
 * optimistic (`update … where status = 'queued'`), which is safe for any number of worker
 * processes on either dialect. Only this process hears `onEnqueued`; others poll.
 */
export function createDatabaseJobQueue(database: Database, clock: Clock): JobQueue {
  const { db } = database;
  const nowIso = () => clock.now().toISOString();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  async function enqueue(job: NewJob, executor: Executor = db): Promise<string | null> {
    const now = nowIso();
    const id = uuidv7();
    // `do nothing` rather than catching the violation: inside a PostgreSQL transaction an
    // error would abort the caller's whole transaction.
    const result = await executor
      .insertInto('jobs')
      .values({
        id,
        key: job.key,
        kind: job.kind,
        entityId: job.entityId,
        payload: JSON.stringify(job.payload),
        status: 'queued',
        attempts: 0,
        maxAttempts: job.maxAttempts,
        runAfter: now,
        lockedBy: null,
        lockedUntil: null,
        progress: 0,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) return null;
    database.afterCommit(executor, notify);
    return id;
  }

  async function claim(
    workerId: string,
    kinds: readonly string[],
    leaseMs: number,
  ): Promise<JobRow | undefined> {
    if (kinds.length === 0) return undefined;
    const now = clock.now();
    const candidates = await db
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'queued')
      .where('runAfter', '<=', now.toISOString())
      .where('kind', 'in', kinds)
      .orderBy('runAfter')
      .orderBy('id')
      .limit(5)
      .execute();
    for (const { id } of candidates) {
      const result = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          lockedBy: workerId,
          lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
          attempts: eb('attempts', '+', 1),
          updatedAt: now.toISOString(),
        }))
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (result.numUpdatedRows === 1n) {
        return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      }
    }
    return undefined;
  }

  async function heartbeat(
    id: string,
    workerId: string,
    leaseMs: number,
    progress?: number,
  ): Promise<boolean> {
    const now = clock.now();
    const result = await db
      .updateTable('jobs')
      .set({
        lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
        updatedAt: now.toISOString(),
        ...(progress === undefined
          ? {}
          : { progress: Math.max(0, Math.min(100, Math.round(progress))) }),
      })
      .where('id', '=', id)
      .where('lockedBy', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async function complete(id: string, workerId: string): Promise<void> {
    const now = nowIso();
    await db
      .updateTable('jobs')
      .set({
        status: 'done',
        progress: 100,
        lockedBy: null,
        lockedUntil: null,
        lastError: null,
        updatedAt: now,
        finishedAt: now,
      })
      .where('id', '=', id)
      .where('lockedBy', '=', workerId)
      .execute();
  }

  async function fail(
    job: JobRow,
    workerId: string,
    message: string,
    retry: RetryPolicy,
  ): Promise<JobStatusAfterFailure> {
    const now = clock.now();
    const again = !retry.permanent && job.attempts < job.maxAttempts;
    await db
      .updateTable('jobs')
      .set({
        status: again ? 'queued' : 'failed',
        lastError: message.slice(0, 2000),
        lockedBy: null,
        lockedUntil: null,
        runAfter: again ? new Date(now.getTime() + retry.backoffMs).toISOString() : job.runAfter,
        updatedAt: now.toISOString(),
        finishedAt: again ? null : now.toISOString(),
      })
      .where('id', '=', job.id)
      .where('lockedBy', '=', workerId)
      .execute();
    return again ? 'queued' : 'failed';
  }

  async function recoverExpired(): Promise<JobRow[]> {
    const now = nowIso();
    const expired = await db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where('lockedUntil', '<', now)
      .execute();
    const failed: JobRow[] = [];
    for (const job of expired) {
      const giveUp = job.attempts >= job.maxAttempts;
      const result = await db
        .updateTable('jobs')
        .set({
          status: giveUp ? 'failed' : 'queued',
          lockedBy: null,
          lockedUntil: null,
          lastError: INTERRUPTED,
          updatedAt: now,
          finishedAt: giveUp ? now : null,
        })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('lockedUntil', '<', now)
        .executeTakeFirst();
      if (giveUp && result.numUpdatedRows === 1n) failed.push(job);
    }
    if (failed.length < expired.length) notify();
    return failed;
  }

  async function runningFor(entityIds: readonly string[], exceptKind: string): Promise<string[]> {
    if (entityIds.length === 0) return [];
    const rows = await db
      .selectFrom('jobs')
      .select('key')
      .where('entityId', 'in', entityIds)
      .where('status', '=', 'running')
      .where('kind', '!=', exceptKind)
      .execute();
    return rows.map((row) => row.key);
  }

  return {
    enqueue,
    claim,
    heartbeat,
    complete,
    fail,
    recoverExpired,
    runningFor,
    onEnqueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    findByKey: (key) => db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst(),
    async counts() {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}
