import { CronExpressionParser } from 'cron-parser';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../infra/db/database.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Clock } from '../../shared/clock.js';
import { uuidv7 } from '../../shared/ids.js';
import { newBackupRun, type BackupRunsRepo } from './backup-runs.repo.js';

/** Aliases a studio may use instead of five fields (none finer than hourly). */
const ALIASES = new Set([
  '@hourly',
  '@daily',
  '@weekly',
  '@monthly',
  '@yearly',
  '@annually',
  '@weekdays',
  '@weekends',
]);

/** A timer never sleeps longer than this: it wakes, re-reads the clock and sleeps again. */
const MAX_SLEEP_MS = 60 * 60_000;

/** Cron runs in the server's time zone (`TZ`), as cron itself does. */
const serverTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * What is wrong with a `BACKUP_SCHEDULE` value, or null when it is usable: five cron fields
 * (minute hour day-of-month month day-of-week) or an alias such as `@daily`. A seconds field
 * is refused: a backup every second is never what was meant.
 */
export function scheduleProblem(expression: string): string | null {
  const text = expression.trim();
  if (!ALIASES.has(text) && text.split(/\s+/).length !== 5) {
    return `must be five cron fields like "0 3 * * *" (minute hour day month weekday) or @daily, got "${expression}"`;
  }
  // `H` (hashed) picks a random time per parse: instances would disagree on the slot.
  if (/\bH\b/.test(text)) return `must not use H (hashed) fields, got "${expression}"`;
  try {
    CronExpressionParser.parse(text, { tz: serverTimeZone() }).next();
    return null;
  } catch (error) {
    return `is not a valid cron expression ("${expression}"): ${(error as Error).message}`;
  }
}

export const isValidSchedule = (expression: string): boolean =>
  scheduleProblem(expression) === null;

/** `BACKUP_SCHEDULE` as the config keeps it: unset or empty is no schedule; a bad one a problem. */
export function checkedSchedule(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  const problem = scheduleProblem(value);
  if (problem !== null) problems.push(`BACKUP_SCHEDULE ${problem}`);
  return value;
}

/** The first slot of the schedule strictly after `after`. */
export function nextSlot(expression: string, after: Date, timeZone = serverTimeZone()): Date {
  const parsed = CronExpressionParser.parse(expression.trim(), {
    currentDate: after,
    tz: timeZone,
  });
  return parsed.next().toDate();
}

export interface BackupSchedulerDeps {
  /** `config.backup.schedule`; unset: the scheduler never starts a timer. */
  schedule: string | undefined;
  database: Database;
  backupRuns: BackupRunsRepo;
  queue: Pick<JobQueue, 'enqueue'>;
  clock: Clock;
  logger: FastifyBaseLogger;
  timeZone?: string;
}

/**
 * Backups at the slots of `BACKUP_SCHEDULE`, taken by the job runner. Every server instance
 * runs this timer; the unique slot of backup_runs decides which one enqueues a slot's backup.
 * Slots missed while no server ran are not made up (no burst at start): the next slot runs.
 */
export function createBackupScheduler(deps: BackupSchedulerDeps) {
  const { schedule, database, backupRuns, queue, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let pending: Date | null = null;
  let stopped = true;

  /**
   * Records the slot's run and enqueues its backup in one transaction, only when this insert
   * won the slot. Returns the run id, or null when another instance (or an earlier call) had it.
   */
  async function claimSlot(slot: Date): Promise<string | null> {
    const id = uuidv7(clock.now().getTime());
    const run = newBackupRun({
      id,
      kind: 'create',
      trigger: 'schedule',
      startedAt: clock.now().toISOString(),
      slot: slot.toISOString(),
    });
    return database.transaction(async (trx) => {
      if (!(await backupRuns.insertSlot(trx, { ...run, slot: slot.toISOString() }))) return null;
      await queue.enqueue(JOB_KINDS.backupCreate.job(id), trx);
      return id;
    });
  }

  function arm(): void {
    if (stopped || pending === null) return;
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, pending.getTime() - clock.now().getTime()));
    timer = setTimeout(() => void wake(), wait);
    // The schedule alone never keeps the process alive.
    timer.unref();
  }

  async function wake(): Promise<void> {
    const now = clock.now();
    if (pending !== null && now >= pending) {
      const slot = pending;
      try {
        const runId = await claimSlot(slot);
        if (runId !== null)
          logger.info({ runId, slot: slot.toISOString() }, 'scheduled backup enqueued');
      } catch (error) {
        logger.error(
          { err: error, slot: slot.toISOString() },
          'scheduled backup could not be enqueued',
        );
      }
      if (schedule !== undefined) pending = nextSlot(schedule, now, deps.timeZone);
    }
    arm();
  }

  return {
    claimSlot,
    /** The slot the timer waits for (null when stopped or unscheduled). */
    nextSlot: (): Date | null => pending,
    start(): void {
      if (schedule === undefined || !stopped) return;
      stopped = false;
      pending = nextSlot(schedule, clock.now(), deps.timeZone);
      logger.info({ schedule, next: pending.toISOString() }, 'backup schedule active');
      arm();
    },
    stop(): void {
      stopped = true;
      pending = null;
      clearTimeout(timer);
    },
  };
}

export type BackupScheduler = ReturnType<typeof createBackupScheduler>;
