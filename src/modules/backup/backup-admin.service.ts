import type { Readable } from 'node:stream';
import type { BackupSettings } from '../../config.js';
import type { Database } from '../../infra/db/database.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import { newBackupRun, type BackupRunRow, type BackupRunsRepo } from './backup-runs.repo.js';
import { BackupRefused, type BackupService, type BackupSummary } from './backup.service.js';

export interface BackupAdminDeps {
  database: Database;
  backupRuns: BackupRunsRepo;
  backups: Pick<BackupService, 'list' | 'files' | 'read'>;
  queue: Pick<JobQueue, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
  settings: BackupSettings;
}

/** Restore stays a command-line action: the admin app shows the exact command. */
export const restoreCommand = (id: string): string => `vertex-ar backup restore ${id}`;

export interface BackupListItem extends BackupSummary {
  /** The newest verify run of this backup, or null when it was never verified here. */
  verification: Pick<BackupRunRow, 'id' | 'status' | 'error' | 'finishedAt'> | null;
  restoreCommand: string;
}

const RECENT_RUNS = 20;

/**
 * What the admin app does with backups: list them with their verification state, start a
 * backup or a verify as a job (recorded in backup_runs), follow a run, download a backup's
 * stored (still encrypted) files. Restoring is left to the CLI on purpose.
 */
export function createBackupAdmin(deps: BackupAdminDeps) {
  const { database, backupRuns, backups, queue, audit, clock, settings } = deps;
  const { db } = database;
  const configured = settings.encryption === 'none' || settings.passphrase !== undefined;

  function requireConfigured(): void {
    if (!configured) {
      throw new AppError(
        'backup_not_configured',
        409,
        'backups are encrypted: set BACKUP_PASSPHRASE (or BACKUP_PASSPHRASE_FILE) on the server, or BACKUP_ENCRYPTION=none for plain backups',
      );
    }
  }

  /** The backups in the destination; none while backups are not configured. */
  async function summaries(): Promise<BackupSummary[]> {
    if (!configured) return [];
    try {
      return await backups.list();
    } catch (error) {
      if (error instanceof BackupRefused) return [];
      throw error;
    }
  }

  async function completeBackup(id: string): Promise<BackupSummary> {
    requireConfigured();
    const found = (await summaries()).find((b) => b.id === id);
    if (found === undefined) throw new AppError('not_found', 404, `backup ${id} not found`);
    if (found.status !== 'complete') {
      throw new AppError('not_found', 404, `backup ${id} is ${found.status}, not complete`);
    }
    return found;
  }

  /** Records the run, its job and who asked for it (with their address) together. */
  async function enqueueRun(actor: Actor, run: BackupRunRow): Promise<BackupRunRow> {
    await database.transaction(async (trx) => {
      await backupRuns.insert(trx, run);
      await queue.enqueue(
        run.kind === 'create'
          ? JOB_KINDS.backupCreate.job(run.id)
          : JOB_KINDS.backupVerify.job(run.id, run.backupId ?? ''),
        trx,
      );
      await audit.record(
        {
          action: run.kind === 'create' ? 'backup.create_requested' : 'backup.verify_requested',
          ...byActor(actor),
          targetType: 'backup',
          targetId: run.backupId,
          details: { runId: run.id },
        },
        trx,
      );
    });
    return run;
  }

  return {
    async overview() {
      const [items, verifications, runs, lastSuccess, lastFailure] = await Promise.all([
        summaries(),
        backupRuns.lastVerifications(db),
        backupRuns.recent(db, RECENT_RUNS),
        backupRuns.lastFinished(db, 'succeeded'),
        backupRuns.lastFinished(db, 'failed'),
      ]);
      return {
        configured,
        schedule: settings.schedule ?? null,
        destination: settings.s3 === undefined ? ('local' as const) : ('s3' as const),
        encryption: settings.encryption,
        restoreCommand: restoreCommand('<id>'),
        // Newest first, as the page shows them.
        items: [...items].reverse().map((b): BackupListItem => {
          const v = verifications.get(b.id);
          return {
            ...b,
            verification:
              v === undefined
                ? null
                : { id: v.id, status: v.status, error: v.error, finishedAt: v.finishedAt },
            restoreCommand: restoreCommand(b.id),
          };
        }),
        runs,
        lastSuccess: lastSuccess ?? null,
        lastFailure: lastFailure ?? null,
      };
    },

    /** Starts a backup now; one create at a time (409 `backup_in_progress` names the run). */
    async requestCreate(actor: Actor): Promise<BackupRunRow> {
      requireConfigured();
      const running = await backupRuns.running(db, 'create');
      if (running !== undefined) {
        throw new AppError('backup_in_progress', 409, 'a backup is already running', {
          runId: running.id,
        });
      }
      return enqueueRun(
        actor,
        newBackupRun({
          id: uuidv7(clock.now().getTime()),
          kind: 'create',
          trigger: 'manual',
          requestedBy: actor.userId,
          startedAt: clock.now().toISOString(),
        }),
      );
    },

    async requestVerify(actor: Actor, backupId: string): Promise<BackupRunRow> {
      await completeBackup(backupId);
      return enqueueRun(
        actor,
        newBackupRun({
          id: uuidv7(clock.now().getTime()),
          kind: 'verify',
          trigger: 'manual',
          backupId,
          requestedBy: actor.userId,
          startedAt: clock.now().toISOString(),
        }),
      );
    },

    async run(runId: string): Promise<BackupRunRow> {
      const run = await backupRuns.findById(db, runId);
      if (run === undefined) throw new AppError('not_found', 404, 'backup run not found');
      return run;
    },

    /**
     * The stored files of a complete backup, read one after another (for a tar download). A
     * copy of every row and file leaves the server: who took it is recorded before it starts.
     */
    async archive(
      actor: Actor,
      id: string,
    ): Promise<{
      files: { name: string; size: number }[];
      read: (name: string) => Promise<Readable>;
    }> {
      await completeBackup(id);
      const files = await backups.files(id);
      await audit.record({
        action: 'backup.download',
        ...byActor(actor),
        targetType: 'backup',
        targetId: id,
        details: { files: files.length },
      });
      return { files, read: (name) => backups.read(name) };
    },
  };
}

export type BackupAdmin = ReturnType<typeof createBackupAdmin>;
