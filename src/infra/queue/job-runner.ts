import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { isPermanent } from '../../shared/errors.js';
import { redactPathsInText } from '../../shared/redact-paths.js';
import type { JobQueue, JobRow } from './job-queue.js';

export interface JobContext {
  /** Aborted on timeout or shutdown: pass it to child processes so they are killed. */
  signal: AbortSignal;
  attempt: number;
  reportProgress: (percent: number) => void;
}

/** What a kind of job does with its (already validated) payload. */
export interface JobHandler<P> {
  run(payload: P, context: JobContext): Promise<void>;
  /** Called once when the job has failed for good (last attempt, permanent error, interrupted). */
  onFailed?(payload: P, reason: string): Promise<void>;
}

/** How the runner treats one kind, from the job registry. */
export interface RunnableKind<P> {
  /** At most this many of this kind at once in this process (CPU-heavy kinds: 1). */
  concurrency: number;
  /** Hard limit for one attempt. */
  timeoutMs: number;
  backoffMs(attempt: number): number;
  /** The payload read back from the queue, checked; throws when it is not one of this kind. */
  parsePayload(raw: unknown): P;
}

/** Throw from a handler for errors a retry cannot fix (bad input, featureless photo). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
  readonly permanent = true;
}

export interface JobRunnerOptions {
  queue: JobQueue;
  /** The kinds this runner works on; every one must have a handler. */
  kinds: Record<string, RunnableKind<unknown>>;
  handlers: Record<string, JobHandler<unknown>>;
  logger: FastifyBaseLogger;
  pollMs?: number;
  leaseMs?: number;
  onJobFinished?(job: JobRow, outcome: 'done' | 'queued' | 'failed', durationMs: number): void;
  /** A job failed for good for a reason a retry might have fixed (not bad input): a fault. */
  reportFailure?(job: JobRow, error: unknown): void;
}

/**
 * Runs queued jobs in this process: wakes when a job is enqueued and polls as a safety net,
 * respects per-kind concurrency, renews leases while a job runs, enforces the hard timeout, and
 * recovers jobs orphaned by a dead worker. `stop()` aborts running jobs; their leases lapse and
 * another start picks them up. Refuses to be built when a kind has no handler.
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { queue, kinds, handlers, logger } = options;
  const missing = Object.keys(kinds).filter((kind) => handlers[kind] === undefined);
  if (missing.length > 0) {
    throw new Error(`job kinds without a handler: ${missing.join(', ')}`);
  }
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const running = new Map<string, { kind: string; done: Promise<void>; abort: AbortController }>();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopped = true;
  let ticking = false;
  let again = false;
  // Read through a function: `stopped` changes while tick() awaits.
  const isStopped = () => stopped;
  const wokenMeanwhile = () => again;

  const kindOf = (job: JobRow) => {
    const kind = kinds[job.kind];
    const handler = handlers[job.kind];
    if (kind === undefined || handler === undefined)
      throw new Error(`unknown job kind ${job.kind}`);
    return { kind, handler };
  };

  const freeKinds = () =>
    Object.entries(kinds)
      .filter(
        ([name, kind]) =>
          [...running.values()].filter((r) => r.kind === name).length < kind.concurrency,
      )
      .map(([name]) => name);

  async function failForGood(job: JobRow, reason: string, error: unknown): Promise<void> {
    // Bad input (a permanent error: featureless photo, broken file) is not ours to fix.
    if (!isPermanent(error)) options.reportFailure?.(job, error);
    try {
      const { kind, handler } = kindOf(job);
      // The reason reaches the API (a failed video's `error`): no server paths in it.
      await handler.onFailed?.(
        kind.parsePayload(JSON.parse(job.payload)),
        redactPathsInText(reason),
      );
    } catch (error) {
      logger.error({ err: error, jobId: job.id }, 'job onFailed hook failed');
    }
  }

  async function execute(job: JobRow, abort: AbortController): Promise<void> {
    const started = Date.now();
    const { kind, handler } = kindOf(job);
    let progress: number | undefined;
    const timeout = setTimeout(() => {
      abort.abort(new Error(`timed out after ${kind.timeoutMs} ms`));
    }, kind.timeoutMs);
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
      const payload = parseOrReject(kind, job.payload);
      await handler.run(payload, {
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
      outcome = await queue.fail(job, workerId, message, {
        permanent: isPermanent(error),
        backoffMs: kind.backoffMs(job.attempts),
      });
      log.warn({ err: error, outcome }, 'job failed');
      if (outcome === 'failed') await failForGood(job, message, error);
    } finally {
      clearTimeout(timeout);
      clearInterval(renew);
      // A renewal still in flight must not extend the lease after the job has ended.
      await heartbeat;
    }
    options.onJobFinished?.(job, outcome, Date.now() - started);
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    if (ticking) {
      // A wake-up during a tick: look again when this one ends, so no enqueue is missed.
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        for (const job of await queue.recoverExpired()) {
          const reason = 'interrupted: the worker stopped before finishing, no attempts left';
          await failForGood(job, reason, new Error(reason));
        }
        for (;;) {
          const job = await queue.claim(workerId, freeKinds(), leaseMs);
          // A job claimed just as the runner stopped is left to its lease: it will be resumed.
          if (job === undefined || isStopped()) break;
          const abort = new AbortController();
          const done = execute(job, abort).finally(() => {
            running.delete(job.id);
            // A slot came free: look for more work now instead of waiting for the next poll.
            void tick();
          });
          running.set(job.id, { kind: job.kind, done, abort });
        }
      } while (wokenMeanwhile() && !isStopped());
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
      unsubscribe = queue.onEnqueued(() => void tick());
      timer = setInterval(() => void tick(), pollMs);
      void tick();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      unsubscribe?.();
      for (const job of running.values()) job.abort.abort(new Error('shutting down'));
      await Promise.allSettled([...running.values()].map((job) => job.done));
    },
    runningCount: () => running.size,
  };
}

/** A payload that does not fit its kind can never succeed: fail it for good, with the reason. */
function parseOrReject(kind: RunnableKind<unknown>, raw: string): unknown {
  try {
    return kind.parsePayload(JSON.parse(raw));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PermanentJobError(`invalid job payload: ${reason}`);
  }
}

export type JobRunner = ReturnType<typeof createJobRunner>;
