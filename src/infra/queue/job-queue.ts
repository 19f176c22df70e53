import type { Selectable } from 'kysely';
import type { Database, Executor } from '../db/database.js';
import type { JobsTable } from '../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { uuidv7 } from '../../shared/ids.js';

export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  kind: string;
  /** `{kind}:{entityId}:{version}`; enqueuing an existing key is a no-op. */
  key: string;
  payload: Record<string, unknown>;
  maxAttempts?: number;
}

const backoffMs = (attempt: number): number => Math.min(5 * 60_000, 2_000 * 4 ** (attempt - 1));

/**
 * The persisted job queue: the `jobs` table is the source of truth, so accepted work survives a
 * crash or restart. Workers claim a job with a lease (`locked_until`) that they keep renewing;
 * a job whose lease ran out (its worker died) is queued again, or failed when its attempts are
 * used up. Claims are optimistic (`update … where status = 'queued'`), which is safe for any
 * number of worker processes on either dialect.
 */
export function createJobQueue(database: Database, clock: Clock) {
  const { db } = database;
  const nowIso = () => clock.now().toISOString();

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
        payload: JSON.stringify(job.payload),
        status: 'queued',
        attempts: 0,
        maxAttempts: job.maxAttempts ?? 3,
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
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n ? id : null;
  }

  /** Claims the oldest due job of one of `kinds`, or returns undefined. */
  async function claim(
    workerId: string,
    kinds: string[],
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

  /** Renews the lease; false when the job is no longer ours (it was recovered elsewhere). */
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

  /**
   * Records a failure: queued again after a backoff while attempts remain and the error is
   * retryable, else failed for good. Returns the resulting status.
   */
  async function fail(
    job: JobRow,
    workerId: string,
    message: string,
    retryable: boolean,
  ): Promise<'queued' | 'failed'> {
    const now = clock.now();
    const retry = retryable && job.attempts < job.maxAttempts;
    await db
      .updateTable('jobs')
      .set({
        status: retry ? 'queued' : 'failed',
        lastError: message.slice(0, 2000),
        lockedBy: null,
        lockedUntil: null,
        runAfter: retry
          ? new Date(now.getTime() + backoffMs(job.attempts)).toISOString()
          : job.runAfter,
        updatedAt: now.toISOString(),
        finishedAt: retry ? null : now.toISOString(),
      })
      .where('id', '=', job.id)
      .where('lockedBy', '=', workerId)
      .execute();
    return retry ? 'queued' : 'failed';
  }

  /**
   * Jobs whose worker stopped renewing the lease (crash, kill, restart): queued again while
   * attempts remain, otherwise failed with a visible reason. Returns the jobs that failed, so
   * the caller can mark their entities failed too.
   */
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
          lastError: 'interrupted: the worker stopped before finishing (crash or restart)',
          updatedAt: now,
          finishedAt: giveUp ? now : null,
        })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('lockedUntil', '<', now)
        .executeTakeFirst();
      if (giveUp && result.numUpdatedRows === 1n) failed.push(job);
    }
    return failed;
  }

  const findByKey = (key: string): Promise<JobRow | undefined> =>
    db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst();

  async function counts(): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  return { enqueue, claim, heartbeat, complete, fail, recoverExpired, findByKey, counts };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
