import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../infra/db/database.js';
import { PermanentJobError, type JobContext, type JobHandler } from '../infra/queue/job-runner.js';
import type { AuditService } from '../modules/audit/audit.service.js';
import type { BackupRunPatch, BackupRunsRepo } from '../modules/backup/backup-runs.repo.js';
import type { BackupProgress, BackupService } from '../modules/backup/backup.service.js';
import type { Clock } from '../shared/clock.js';
import { redactPathsInText } from '../shared/redact-paths.js';
import type { JobPayload } from './job-kinds.js';

interface Deps {
  database: Database;
  clock: Clock;
  backupRuns: BackupRunsRepo;
  backups: Pick<BackupService, 'create' | 'verify'>;
  audit: Pick<AuditService, 'record'>;
  logger: FastifyBaseLogger;
}

/** Progress rows are written at most this often (a backup reports every object). */
const PROGRESS_EVERY_MS = 1000;
const MAX_ERROR_CHARS = 500;

/** A reason short enough for a table cell, without server paths. */
export const shortReason = (text: string): string => {
  const clean = redactPathsInText(text).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_ERROR_CHARS ? `${clean.slice(0, MAX_ERROR_CHARS - 1)}…` : clean;
};

/** Share of the whole run for a phase's progress: the database is quick, objects are the bulk. */
function percentOf(p: BackupProgress): number {
  const part = p.total > 0 ? p.done / p.total : 0;
  if (p.phase === 'database') return Math.round(part * 10);
  if (p.phase === 'objects') return 10 + Math.round(part * 85);
  return 95 + Math.round(part * 5);
}

/**
 * Rejects when the job is aborted (timeout, shutdown) so the runner is not held for hours by a
 * run that cannot be cancelled; the abandoned run fails on its own, and an unfinished backup
 * has no manifest, so it never counts as complete (the next create cleans it up).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Both backup kinds: the run row follows the job; its end is logged and audited once. */
function backupRunTracking(deps: Deps) {
  const { database, clock, backupRuns, audit } = deps;
  const { db } = database;

  /** Progress writes, throttled and chained so none lands after the final result. */
  function progressWriter(runId: string, context: JobContext) {
    let last = 0;
    let lastPhase: string | null = null;
    let chain: Promise<void> = Promise.resolve();
    return {
      report(p: BackupProgress): void {
        context.reportProgress(percentOf(p));
        const now = Date.now();
        if (p.phase === lastPhase && now - last < PROGRESS_EVERY_MS) return;
        last = now;
        lastPhase = p.phase;
        const patch = { phase: p.phase, done: p.done, total: p.total };
        chain = chain
          .then(() => backupRuns.update(db, runId, patch))
          .catch((error: unknown) => {
            deps.logger.warn({ err: error, runId }, 'backup progress update failed');
          });
      },
      settled: () => chain,
    };
  }

  async function begin(runId: string, phase: string): Promise<void> {
    await backupRuns.update(db, runId, { startedAt: clock.now().toISOString(), phase });
  }

  async function succeed(
    runId: string,
    patch: BackupRunPatch,
    action: 'backup.created' | 'backup.verified',
  ): Promise<void> {
    await database.transaction(async (trx) => {
      const run = await backupRuns.findById(trx, runId);
      const ended = await backupRuns.finish(trx, runId, {
        ...patch,
        status: 'succeeded',
        finishedAt: clock.now().toISOString(),
      });
      if (!ended || run === undefined) return;
      await audit.record(
        {
          action,
          actorUserId: run.requestedBy,
          targetType: 'backup',
          targetId: patch.backupId ?? run.backupId,
          details: { runId, trigger: run.trigger, bytes: patch.bytes, copied: patch.copied },
        },
        trx,
      );
    });
  }

  /** Records the failure once (a second call, e.g. the runner's onFailed after run, is a no-op). */
  async function fail(runId: string, reason: string): Promise<void> {
    const error = shortReason(reason);
    const failed = await database.transaction(async (trx) => {
      const run = await backupRuns.findById(trx, runId);
      const ended = await backupRuns.finish(trx, runId, {
        status: 'failed',
        error,
        finishedAt: clock.now().toISOString(),
      });
      if (!ended || run === undefined) return null;
      await audit.record(
        {
          action: 'backup.failed',
          actorUserId: run.requestedBy,
          targetType: 'backup',
          targetId: run.backupId,
          details: { runId, kind: run.kind, trigger: run.trigger, error },
        },
        trx,
      );
      return run;
    });
    if (failed !== null) {
      deps.logger.error(
        { runId, kind: failed.kind, trigger: failed.trigger, backupId: failed.backupId, error },
        'backup run failed',
      );
    }
  }

  return { progressWriter, begin, succeed, fail };
}

/** `backup.create`: takes a backup with the backup service, recording progress and result. */
export function backupCreateJob(deps: Deps): JobHandler<JobPayload<'backup.create'>> {
  const runs = backupRunTracking(deps);
  return {
    async run({ runId }, context) {
      await runs.begin(runId, 'database');
      const progress = runs.progressWriter(runId, context);
      try {
        const created = await untilAborted(
          deps.backups.create({
            onProgress: (p) => {
              progress.report(p);
            },
          }),
          context.signal,
        );
        await progress.settled();
        await runs.succeed(
          runId,
          {
            backupId: created.id,
            bytes: created.bytes,
            objects: created.copied + created.reused,
            copied: created.copied,
            phase: 'manifest',
            done: 1,
            total: 1,
          },
          'backup.created',
        );
      } catch (error) {
        await progress.settled();
        // A shutdown leaves the job to lease expiry; the runner then calls onFailed.
        if (!context.signal.aborted) await runs.fail(runId, (error as Error).message);
        throw error;
      }
    },
    onFailed: ({ runId }, reason) => runs.fail(runId, reason),
  };
}

/** `backup.verify`: decrypts and checks every file of one backup; problems fail the run. */
export function backupVerifyJob(deps: Deps): JobHandler<JobPayload<'backup.verify'>> {
  const runs = backupRunTracking(deps);
  return {
    async run({ runId, backupId }, context) {
      await runs.begin(runId, 'verify');
      let problems: string[];
      try {
        problems = await untilAborted(deps.backups.verify(backupId), context.signal);
      } catch (error) {
        if (!context.signal.aborted) await runs.fail(runId, (error as Error).message);
        throw error;
      }
      if (problems.length > 0) {
        const reason = `${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}`;
        await runs.fail(runId, reason);
        throw new PermanentJobError(reason);
      }
      await runs.succeed(runId, { backupId, done: 1, total: 1 }, 'backup.verified');
    },
    onFailed: ({ runId }, reason) => runs.fail(runId, reason),
  };
}
