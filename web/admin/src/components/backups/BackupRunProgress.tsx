import { useId } from 'react';
import type { BackupRun } from '../../api';
import { useFormat } from '../../format';
import { Notice } from '../ErrorNotice';
import { StatusBadge } from '../StatusBadge';
import { useBackupsText, type BackupsText } from './backupsText';

/** What a running create or verify is doing, in words. */
function phaseText(text: BackupsText, run: BackupRun): string {
  if (run.phase === 'objects') return text.copying(run.done, run.total);
  return (run.phase !== null ? text.phases[run.phase] : undefined) ?? text.working;
}

/** One create or verify run this page follows: progress while it runs, then its outcome. */
export function BackupRunProgress({ run }: { run: BackupRun }) {
  const id = useId();
  const text = useBackupsText();
  const format = useFormat();
  const what = run.kind === 'create' ? text.backup : text.verificationOf(run.backupId ?? '');
  if (run.status === 'running') {
    const objects = run.phase === 'objects' && run.total > 0;
    return (
      <div className="upload-progress" data-run-id={run.id} data-run-status={run.status}>
        <label htmlFor={id}>
          <StatusBadge status="running" /> {what}
          {run.trigger === 'schedule' ? text.scheduled : ''}
        </label>
        {objects ? <progress id={id} max={run.total} value={run.done} /> : <progress id={id} />}
        <p className="hint" aria-live="polite">
          {phaseText(text, run)}
        </p>
      </div>
    );
  }
  if (run.status === 'succeeded') {
    return (
      <div data-run-id={run.id} data-run-status={run.status}>
        <Notice tone="success">
          {run.kind === 'create'
            ? text.complete(
                run.backupId ?? '',
                format.bytes(run.bytes ?? 0),
                run.objects ?? 0,
                run.copied ?? 0,
              )
            : text.verifiedAll(run.backupId ?? '')}
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
        <strong>{text.failed(what)}</strong>
        {run.finishedAt !== null && text.at(format.dateTime(run.finishedAt))}:{' '}
        {run.error ?? text.unknownError}
      </div>
    </div>
  );
}
