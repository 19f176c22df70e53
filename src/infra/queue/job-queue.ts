import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { JobsTable } from '../db/schema.js';

/** One job as the queue keeps it (the database driver's row; other drivers map to it). */
export type JobRow = Selectable<JobsTable>;

export interface NewJob<K extends string = string, P = unknown> {
  kind: K;
  /** `{kind}:{entityId}:{version}`; enqueuing an existing key is a no-op. */
  key: string;
  /** The portrait, video or client the job works on. */
  entityId: string;
  payload: P;
  maxAttempts: number;
}

/** How a failed attempt is treated: `permanent` never retries; otherwise after `backoffMs`. */
export interface RetryPolicy {
  permanent: boolean;
  backoffMs: number;
}

/**
 * The job queue as the services and the runner see it. Accepted work is durable: a job enqueued
 * inside a caller's transaction exists exactly when that transaction commits. Workers claim a
 * job with a lease they keep renewing; a job whose lease ran out (its worker died) is recovered.
 * Today's driver is the database (`database-queue.ts`); a Redis/BullMQ driver implements the
 * same interface, so no handler or service changes with the driver.
 */
export interface JobQueue {
  /**
   * Adds a job, inside `executor`'s transaction when it is one. Returns the new job's id, or
   * null when a job with its key exists. Listeners of `onEnqueued` hear of it after the commit.
   */
  enqueue(job: NewJob, executor?: Executor): Promise<string | null>;
  /** Claims the oldest due job of one of `kinds` for `leaseMs`, or returns undefined. */
  claim(workerId: string, kinds: readonly string[], leaseMs: number): Promise<JobRow | undefined>;
  /** Renews the lease (and records progress); false when the job is no longer this worker's. */
  heartbeat(id: string, workerId: string, leaseMs: number, progress?: number): Promise<boolean>;
  complete(id: string, workerId: string): Promise<void>;
  /** Queued again after the backoff while attempts remain and it is retryable, else failed. */
  fail(
    job: JobRow,
    workerId: string,
    message: string,
    retry: RetryPolicy,
  ): Promise<JobStatusAfterFailure>;
  /** Requeues jobs whose lease ran out; returns those that failed for good (no attempts left). */
  recoverExpired(): Promise<JobRow[]>;
  /** Keys of running jobs of these entities (other than `exceptKind`). */
  runningFor(entityIds: readonly string[], exceptKind: string): Promise<string[]>;
  /** Calls `listener` whenever a job was enqueued and committed; returns the unsubscribe. */
  onEnqueued(listener: () => void): () => void;
  findByKey(key: string): Promise<JobRow | undefined>;
  counts(): Promise<Record<string, number>>;
}

export type JobStatusAfterFailure = 'queued' | 'failed';
