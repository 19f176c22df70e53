import type { Selectable, Updateable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { BackupRunKind, BackupRunsTable, BackupRunStatus } from '../../infra/db/schema.js';

export type BackupRunRow = Selectable<BackupRunsTable>;
export type BackupRunPatch = Omit<Updateable<BackupRunsTable>, 'id' | 'kind' | 'trigger' | 'slot'>;

/** Queries of the backup_runs table; every function takes the database or an open transaction. */
export function createBackupRunsRepo() {
  return {
    async insert(db: Executor, run: BackupRunRow): Promise<void> {
      await db.insertInto('backupRuns').values(run).execute();
    },

    /**
     * Inserts a schedule run unless its slot already has one (another instance won it): the
     * unique slot is the lease. Returns whether this insert won.
     */
    async insertSlot(db: Executor, run: BackupRunRow & { slot: string }): Promise<boolean> {
      const result = await db
        .insertInto('backupRuns')
        .values(run)
        .onConflict((oc) => oc.column('slot').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    findById: (db: Executor, id: string): Promise<BackupRunRow | undefined> =>
      db.selectFrom('backupRuns').selectAll().where('id', '=', id).executeTakeFirst(),

    async update(db: Executor, id: string, patch: BackupRunPatch): Promise<void> {
      await db.updateTable('backupRuns').set(patch).where('id', '=', id).execute();
    },

    /** Ends a run still running; false when it had already ended (the result stays as it was). */
    async finish(db: Executor, id: string, patch: BackupRunPatch): Promise<boolean> {
      const result = await db
        .updateTable('backupRuns')
        .set(patch)
        .where('id', '=', id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Ends every run still marked running (they belong to a process that is gone). */
    async failRunning(db: Executor, error: string, at: string): Promise<void> {
      await db
        .updateTable('backupRuns')
        .set({ status: 'failed', error, finishedAt: at })
        .where('status', '=', 'running')
        .execute();
    },

    /** The newest runs, newest first. */
    recent: (db: Executor, limit: number): Promise<BackupRunRow[]> =>
      db
        .selectFrom('backupRuns')
        .selectAll()
        .orderBy('startedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),

    /** A running run of the kind, if any (one create at a time). */
    running: (db: Executor, kind: BackupRunKind): Promise<BackupRunRow | undefined> =>
      db
        .selectFrom('backupRuns')
        .selectAll()
        .where('kind', '=', kind)
        .where('status', '=', 'running')
        .orderBy('startedAt', 'desc')
        .executeTakeFirst(),

    /** The newest finished verify run of each backup, by backup id. */
    async lastVerifications(db: Executor): Promise<Map<string, BackupRunRow>> {
      const rows = await db
        .selectFrom('backupRuns')
        .selectAll()
        .where('kind', '=', 'verify')
        .where('status', '!=', 'running')
        .where('backupId', 'is not', null)
        .orderBy('startedAt', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return new Map(rows.map((row) => [row.backupId ?? '', row]));
    },

    /** The newest create run that ended with `status`. */
    lastFinished: (db: Executor, status: BackupRunStatus): Promise<BackupRunRow | undefined> =>
      db
        .selectFrom('backupRuns')
        .selectAll()
        .where('kind', '=', 'create')
        .where('status', '=', status)
        .where('finishedAt', 'is not', null)
        .orderBy('finishedAt', 'desc')
        .executeTakeFirst(),

    /** How many runs there are of each kind and status. */
    counts: (
      db: Executor,
    ): Promise<{ kind: BackupRunKind; status: BackupRunStatus; count: number }[]> =>
      db
        .selectFrom('backupRuns')
        .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy(['kind', 'status'])
        .execute(),
  };
}

export type BackupRunsRepo = ReturnType<typeof createBackupRunsRepo>;

/** A run as it is inserted when its job is enqueued: running, queued phase, no result yet. */
export function newBackupRun(
  fields: Pick<BackupRunRow, 'id' | 'kind' | 'trigger' | 'startedAt'> &
    Partial<Pick<BackupRunRow, 'backupId' | 'requestedBy' | 'slot'>>,
): BackupRunRow {
  return {
    backupId: null,
    requestedBy: null,
    slot: null,
    ...fields,
    status: 'running',
    phase: 'queued',
    done: 0,
    total: 0,
    bytes: null,
    objects: null,
    copied: null,
    error: null,
    finishedAt: null,
  };
}
