import type { Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Backup runs (issue 10): every `backup.create` / `backup.verify` job the server ran, with its
 * progress and result, for the admin app, the failure audit and the metrics (computed from
 * these rows, so every instance reports the same). A scheduled run carries its `slot`; the
 * unique constraint on it is the lease: with several instances, exactly one insert of a slot
 * wins and only that instance enqueues the backup.
 */
export function backupRuns(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('backup_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** `create` | `verify`. */
        .addColumn('kind', 'text', (c) => c.notNull())
        /** `schedule` | `manual`. */
        .addColumn('trigger', 'text', (c) => c.notNull())
        /** Known from the start for a verify, once written for a create. */
        .addColumn('backup_id', 'text')
        /** `running` | `succeeded` | `failed`. */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text')
        .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('bytes', t.bigint)
        .addColumn('objects', 'integer')
        .addColumn('copied', 'integer')
        /** A short reason, without secrets or server paths. */
        .addColumn('error', 'text')
        /** The admin who asked; null for the schedule. */
        .addColumn('requested_by', 'text')
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        /** The scheduled time (ISO) of a schedule run; null for manual runs. */
        .addColumn('slot', 'text', (c) => c.unique())
        .execute();
      await db.schema
        .createIndex('backup_runs_kind_started_at_idx')
        .on('backup_runs')
        .columns(['kind', 'started_at'])
        .execute();
    },
  };
}
