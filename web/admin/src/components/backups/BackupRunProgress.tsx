import { useId } from 'react';
import type { BackupRun } from '../../api';
import { formatBytes, formatDateTime } from '../../format';
import { Notice } from '../ErrorNotice';
import { StatusBadge } from '../StatusBadge';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a running create or verify is doing, in words. */
function phaseText(run: BackupRun): string {
  if (run.phase === 'queued') return 'Waiting for the job runner…';
  if (run.phase === 'database') return 'Copying the database…';
  if (run.phase === 'objects') return `Copying files: ${run.done} of ${run.total}`;
  if (run.phase === 'manifest') return 'Writing the manifest…';
  if (run.phase === 'verify') return 'Decrypting and checking every file…';
  return 'Working…';
}

/** One create or verify run this page follows: progress while it runs, then its outcome. */
export function BackupRunProgress({ run }: { run: BackupRun }) {
  const id = useId();
  const what = run.kind === 'create' ? 'Backup' : `Verification of ${run.backupId ?? ''}`;
  if (run.status === 'running') {
    const objects = run.phase === 'objects' && run.total > 0;
    return (
      <div className="upload-progress" data-run-id={run.id} data-run-status={run.status}>
        <label htmlFor={id}>
          <StatusBadge status="running" /> {what}
          {run.trigger === 'schedule' ? ' (scheduled)' : ''}
        </label>
        {objects ? <progress id={id} max={run.total} value={run.done} /> : <progress id={id} />}
        <p className="hint" aria-live="polite">
          {phaseText(run)}
        </p>
      </div>
    );
  }
  if (run.status === 'succeeded') {
    return (
      <div data-run-id={run.id} data-run-status={run.status}>
        <Notice tone="success">
          {run.kind === 'create'
            ? `Backup ${run.backupId ?? ''} is complete: ${formatBytes(run.bytes ?? 0)}, ${plural(run.objects ?? 0, 'file')} (${run.copied ?? 0} newly copied).`
            : `Backup ${run.backupId ?? ''} verified: every file decrypts and matches its checksum.`}
        </Notice>
      </div>
    );
  }
  return (
    <div
      className="notice notice-error"
      role="alert"
      data-run-id={run.id}
      data-run-status={run.status}
    >
      <div>
        <strong>{what} failed</strong>
        {run.finishedAt !== null && <> at {formatDateTime(run.finishedAt)}</>}:{' '}
        {run.error ?? 'unknown error'}
      </div>
    </div>
  );
}
