import type { RetentionPolicy } from '../../config.js';

/** What retention needs to know about a backup (a subset of the service's `BackupSummary`). */
export interface RetainedBackup {
  id: string;
  createdAt: string;
  status: 'complete' | 'incomplete' | 'failed';
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An incomplete backup this young may still be written by a running `backup create`. */
const INCOMPLETE_GRACE_MS = DAY_MS;

const RULES = [
  'last',
  'days',
  'daily',
  'weekly',
  'monthly',
] as const satisfies readonly (keyof RetentionPolicy)[];

type BucketKey = (time: Date) => string;

const BUCKETS: { rule: 'daily' | 'weekly' | 'monthly'; key: BucketKey }[] = [
  { rule: 'daily', key: (time) => time.toISOString().slice(0, 10) },
  { rule: 'weekly', key: isoWeek },
  { rule: 'monthly', key: (time) => time.toISOString().slice(0, 7) },
];

/**
 * The ids `backup prune` must keep, like restic's `forget`: a complete backup stays when ANY set rule
 * keeps it. `last` = the newest N complete; `days` = created within N days of `now`; `daily` /
 * `weekly` / `monthly` = the newest complete backup of each of the N most recent UTC days / ISO
 * weeks / months that hold a backup (periods without one do not use up the count).
 *
 * With no rule set at all everything is kept, so prune is a no-op until the operator opts in: a
 * missing variable must never delete backups. Whatever the policy, the newest complete backup stays.
 * Incomplete backups younger than a day stay (a running create may still be writing them) but never
 * count towards a rule; older incomplete and all failed backups are not kept. A backup whose
 * `createdAt` cannot be read is kept and not counted: retention cannot reason about it.
 */
export function backupsToKeep(
  backups: readonly RetainedBackup[],
  policy: RetentionPolicy,
  now: Date,
): Set<string> {
  if (!hasRule(policy)) return new Set(backups.map((backup) => backup.id));

  const keep = new Set<string>();
  const complete: { id: string; time: Date }[] = [];
  for (const backup of backups) {
    const time = new Date(backup.createdAt);
    if (Number.isNaN(time.getTime())) {
      if (backup.status !== 'failed') keep.add(backup.id);
      continue;
    }
    if (backup.status === 'complete') complete.push({ id: backup.id, time });
    else if (
      backup.status === 'incomplete' &&
      now.getTime() - time.getTime() < INCOMPLETE_GRACE_MS
    ) {
      keep.add(backup.id);
    }
  }
  // Newest first; ids break ties so the selection does not depend on the input order.
  complete.sort(
    (a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );

  const newest = complete[0];
  if (newest !== undefined) keep.add(newest.id);

  if (policy.last !== undefined) {
    for (const backup of complete.slice(0, policy.last)) keep.add(backup.id);
  }
  if (policy.days !== undefined) {
    const cutoff = now.getTime() - policy.days * DAY_MS;
    for (const backup of complete) if (backup.time.getTime() >= cutoff) keep.add(backup.id);
  }
  for (const { rule, key } of BUCKETS) {
    const count = policy[rule];
    if (count === undefined) continue;
    let previous: string | undefined;
    let buckets = 0;
    for (const backup of complete) {
      if (buckets >= count) break;
      const bucket = key(backup.time);
      if (bucket === previous) continue;
      // The first backup seen in a bucket is its newest, as the list runs newest first.
      previous = bucket;
      buckets += 1;
      keep.add(backup.id);
    }
  }
  return keep;
}

/** The policy in words, for the CLI and the log: `last 7, 30 days, 4 weekly`. */
export function describePolicy(policy: RetentionPolicy): string {
  if (!hasRule(policy)) return 'keep everything (no BACKUP_KEEP_* set)';
  const parts: string[] = [];
  if (policy.last !== undefined) parts.push(`last ${policy.last}`);
  if (policy.days !== undefined) parts.push(`${policy.days} ${policy.days === 1 ? 'day' : 'days'}`);
  for (const { rule } of BUCKETS) {
    const count = policy[rule];
    if (count !== undefined) parts.push(`${count} ${rule}`);
  }
  return parts.join(', ');
}

function hasRule(policy: RetentionPolicy): boolean {
  return RULES.some((rule) => policy[rule] !== undefined);
}

/** ISO 8601 week in UTC, `2021-W52`: weeks start on Monday and belong to the year of their Thursday. */
function isoWeek(time: Date): string {
  const day = (time.getUTCDay() + 6) % 7;
  const thursday = new Date(
    Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate() - day + 3),
  );
  const year = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  const week = Math.ceil(ordinal / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}
