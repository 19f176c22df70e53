import type { Executor } from '../../infra/db/database.js';
import type { BackupRunsRepo } from './backup-runs.repo.js';

export interface BackupMetric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels?: Record<string, string>; value: number }[];
}

const seconds = (iso: string | null | undefined): number | null =>
  iso === null || iso === undefined ? null : Date.parse(iso) / 1000;

/**
 * Backup figures for alerting, read from backup_runs at scrape time, so every instance
 * reports the same values whichever one ran the backup. A gauge without a value (never
 * succeeded / never failed) is left out rather than reported as 0.
 */
export async function backupMetrics(db: Executor, runs: BackupRunsRepo): Promise<BackupMetric[]> {
  const [success, failure, counts] = await Promise.all([
    runs.lastFinished(db, 'succeeded'),
    runs.lastFinished(db, 'failed'),
    runs.counts(db),
  ]);
  const gauge = (name: string, help: string, value: number | null | undefined): BackupMetric => ({
    name,
    help,
    type: 'gauge',
    samples: value === null || value === undefined ? [] : [{ value }],
  });
  const finished = seconds(success?.finishedAt);
  const started = seconds(success?.startedAt);
  return [
    gauge(
      'vertex_backup_last_success_timestamp_seconds',
      'When the last successful backup finished (Unix time).',
      finished,
    ),
    gauge(
      'vertex_backup_last_duration_seconds',
      'How long the last successful backup took.',
      finished !== null && started !== null ? finished - started : null,
    ),
    gauge(
      'vertex_backup_last_size_bytes',
      'Bytes of the last successful backup (database copies and every object it references).',
      success?.bytes,
    ),
    gauge(
      'vertex_backup_last_failure_timestamp_seconds',
      'When the last failed backup ended (Unix time).',
      seconds(failure?.finishedAt),
    ),
    {
      name: 'vertex_backup_runs_total',
      help: 'Backup create and verify runs by kind and outcome.',
      type: 'counter',
      samples: counts.map((c) => ({
        labels: { kind: c.kind, status: c.status },
        value: c.count,
      })),
    },
  ];
}

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The Prometheus text exposition format (version 0.0.4). */
export function prometheusText(metrics: BackupMetric[]): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const sample of metric.samples) {
      const labels = Object.entries(sample.labels ?? {})
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      lines.push(`${metric.name}${labels === '' ? '' : `{${labels}}`} ${sample.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
