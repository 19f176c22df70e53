import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { JobQueue, JobRow } from './job-queue.js';

export interface JobContext {
  /** Aborted on timeout or shutdown: pass it to child processes so they are killed. */
  signal: AbortSignal;
  attempt: number;
  reportProgress: (percent: number) => void;
}

export interface JobHandler {
  run(payload: Record<string, unknown>, context: JobContext): Promise<void>;
  /** Hard limit for one attempt. */
  timeoutMs: number;
  /** At most this many of this kind at once in this process (CPU-heavy kinds: 1). */
  concurrency: number;
  /** Called once when the job has failed for good (last attempt, permanent error, interrupted). */
  onFailed?(payload: Record<string, unknown>, reason: string): Promise<void>;
}

/** Throw from a handler for errors a retry cannot fix (bad input, featureless photo). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface JobRunnerOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  logger: FastifyBaseLogger;
  pollMs?: number;
  leaseMs?: number;
  onJobFinished?(job: JobRow, outcome: 'done' | 'queued' | 'failed', durationMs: number): void;
}

/**
 * Runs queued jobs in this process: polls the queue, respects per-kind concurrency, renews
 * leases while a job runs, enforces the hard timeout, and recovers jobs orphaned by a dead
 * worker. `stop()` aborts running jobs; their leases lapse and another start picks them up.
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { queue, handlers, logger } = options;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const running = new Map<string, { kind: string; done: Promise<void>; abort: AbortController }>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking = false;
  // Read through a function: `stopped` changes while tick() awaits.
  const isStopped = () => stopped;

  const freeKinds = () =>
    Object.entries(handlers)
      .filter(
        ([kind, h]) => [...running.values()].filter((r) => r.kind === kind).length < h.concurrency,
      )
      .map(([kind]) => kind);

  async function failForGood(job: JobRow, reason: string): Promise<void> {
    try {
      await handlers[job.kind]?.onFailed?.(
        JSON.parse(job.payload) as Record<string, unknown>,
        reason,
      );
    } catch (error) {
      logger.error({ err: error, jobId: job.id }, 'job onFailed hook failed');
    }
  }

  async function execute(job: JobRow, handler: JobHandler, abort: AbortController): Promise<void> {
    const started = Date.now();
    let progress: number | undefined;
    const timeout = setTimeout(() => {
      abort.abort(new Error(`timed out after ${handler.timeoutMs} ms`));
    }, handler.timeoutMs);
    let heartbeat: Promise<void> = Promise.resolve();
    const renew = setInterval(
      () => {
        heartbeat = queue.heartbeat(job.id, workerId, leaseMs, progress).then(
          (stillOurs) => {
            if (!stillOurs) abort.abort(new Error('lease lost'));
          },
          (error: unknown) => {
            logger.warn({ err: error, jobId: job.id }, 'job heartbeat failed');
          },
        );
      },
      Math.max(200, leaseMs / 3),
    );
    const log = logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    log.info('job started');
    let outcome: 'done' | 'queued' | 'failed';
    try {
      await handler.run(JSON.parse(job.payload) as Record<string, unknown>, {
        signal: abort.signal,
        attempt: job.attempts,
        reportProgress: (percent) => {
          progress = percent;
        },
      });
      if (abort.signal.aborted) throw abort.signal.reason;
      await queue.complete(job.id, workerId);
      outcome = 'done';
      log.info({ durationMs: Date.now() - started }, 'job done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (stopped && abort.signal.aborted) {
        // Shutting down: leave the job to lease expiry so the next start resumes it.
        log.warn('job interrupted by shutdown');
        return;
      }
      outcome = await queue.fail(job, workerId, message, !(error instanceof PermanentJobError));
      log.warn({ err: error, outcome }, 'job failed');
      if (outcome === 'failed') await failForGood(job, message);
    } finally {
      clearTimeout(timeout);
      clearInterval(renew);
      // A renewal still in flight must not extend the lease after the job has ended.
      await heartbeat;
    }
    options.onJobFinished?.(job, outcome, Date.now() - started);
  }

  async function tick(): Promise<void> {
    if (ticking || stopped) return;
    ticking = true;
    try {
      for (const job of await queue.recoverExpired()) {
        await failForGood(
          job,
          'interrupted: the worker stopped before finishing, no attempts left',
        );
      }
      for (;;) {
        const kinds = freeKinds();
        const job = await queue.claim(workerId, kinds, leaseMs);
        // A job claimed just as the runner stopped is left to its lease: it will be resumed.
        if (job === undefined || isStopped()) break;
        const handler = handlers[job.kind];
        if (handler === undefined) continue;
        const abort = new AbortController();
        const done = execute(job, handler, abort).finally(() => {
          running.delete(job.id);
          // A slot came free: look for more work now instead of waiting for the next poll.
          void tick();
        });
        running.set(job.id, { kind: job.kind, done, abort });
      }
    } catch (error) {
      logger.error({ err: error }, 'job polling failed');
    } finally {
      ticking = false;
    }
  }

  return {
    workerId,
    start(): void {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(() => void tick(), pollMs);
      void tick();
    },
    /** Wakes the runner now (after an enqueue) instead of at the next poll. */
    poke(): void {
      void tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      for (const job of running.values()) job.abort.abort(new Error('shutting down'));
      await Promise.allSettled([...running.values()].map((job) => job.done));
    },
    runningCount: () => running.size,
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
