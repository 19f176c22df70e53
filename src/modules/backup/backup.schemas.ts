import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../http/schema-helpers.js';

const Timestamp = Type.String({ format: 'date-time' });

/** A backup id: its UTC creation time and a random suffix (`20250101T030000Z-a1b2c3`). */
export const BackupIdParams = Type.Object({
  id: Type.String({
    pattern: '^\\d{8}T\\d{6}Z-[0-9a-f]{6}$',
    examples: ['20250101T030000Z-a1b2c3'],
  }),
});

export const BackupRunIdParams = Type.Object({ runId: Type.String({ format: 'uuid' }) });

export const BackupRunSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('create'), Type.Literal('verify')]),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  backupId: Nullable(
    Type.String({ description: 'Known from the start for a verify; once written for a create' }),
  ),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  phase: Nullable(
    Type.String({
      description: '`queued`, then `database`, `objects`, `manifest` (create) or `verify`',
    }),
  ),
  done: Type.Integer({ description: 'Progress within the phase (objects copied so far)' }),
  total: Type.Integer(),
  bytes: Nullable(Type.Integer()),
  objects: Nullable(Type.Integer()),
  copied: Nullable(
    Type.Integer({ description: 'Objects copied by this run (the rest were already held)' }),
  ),
  error: Nullable(Type.String({ description: 'Why the run failed (no secrets, no server paths)' })),
  requestedBy: Nullable(
    Type.String({ description: 'The admin who started it; null for the schedule' }),
  ),
  startedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  slot: Nullable(Type.String({ description: 'The scheduled time of a schedule run' })),
});
export type BackupRunView = Static<typeof BackupRunSchema>;

export const BackupItemSchema = Type.Object({
  id: Type.String(),
  createdAt: Nullable(Timestamp),
  status: Type.Union(
    [Type.Literal('complete'), Type.Literal('incomplete'), Type.Literal('failed')],
    {
      description:
        '`incomplete`: interrupted or still being written; `failed`: its manifest does not open',
    },
  ),
  bytes: Type.Integer(),
  objects: Type.Integer(),
  verification: Nullable(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      status: Type.Union([
        Type.Literal('running'),
        Type.Literal('succeeded'),
        Type.Literal('failed'),
      ]),
      error: Nullable(Type.String()),
      finishedAt: Nullable(Timestamp),
    }),
  ),
  restoreCommand: Type.String({ description: 'The CLI command that restores this backup' }),
});

export const BackupOverviewSchema = Type.Object({
  configured: Type.Boolean({
    description:
      'false: no BACKUP_PASSPHRASE (and not BACKUP_ENCRYPTION=none); nothing can be created',
  }),
  schedule: Nullable(Type.String({ description: 'BACKUP_SCHEDULE (cron, server time zone)' })),
  destination: Type.Union([Type.Literal('local'), Type.Literal('s3')]),
  encryption: Type.Union([Type.Literal('age'), Type.Literal('none')]),
  restoreCommand: Type.String({ description: 'The restore command with `<id>` for the backup id' }),
  items: Type.Array(BackupItemSchema, { description: 'Newest first' }),
  runs: Type.Array(BackupRunSchema, { description: 'The latest runs, newest first' }),
  lastSuccess: Nullable(BackupRunSchema),
  lastFailure: Nullable(BackupRunSchema),
});
export type BackupOverview = Static<typeof BackupOverviewSchema>;
