import { useEffect, useState } from 'react';
import { api, type BackupItem, type BackupOverview, type BackupRun } from '../api';
import { BackupRunProgress } from '../components/backups/BackupRunProgress';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { useBackupsText } from '../components/backups/backupsText';
import { useFormat } from '../format';
import { usePolling } from '../hooks/usePolling';
import { useResource } from '../hooks/useResource';

/** The badge each backup status is shown with. */
const STATUS_LOOK: Record<BackupItem['status'], string> = {
  complete: 'ready',
  incomplete: 'processing',
  failed: 'failed',
};

function Verification({ item }: { item: BackupItem }) {
  const text = useBackupsText();
  const format = useFormat();
  const v = item.verification;
  if (v === null) return <span className="muted">{text.notVerified}</span>;
  if (v.status === 'running') return <StatusBadge status="running" label={text.verifyingBadge} />;
  if (v.status === 'succeeded') {
    return (
      <>
        <StatusBadge status="ready" label={text.verified} />
        {v.finishedAt !== null && <span className="muted"> {format.dateTime(v.finishedAt)}</span>}
      </>
    );
  }
  return (
    <>
      <StatusBadge status="failed" label={text.verificationFailed} />
      {v.error !== null && <span className="muted"> {v.error}</span>}
    </>
  );
}

/** The schedule, the last success and the last failure: what an admin checks first. */
function Summary({ overview }: { overview: BackupOverview }) {
  const text = useBackupsText();
  const format = useFormat();
  const { lastSuccess, lastFailure } = overview;
  const failedLast =
    lastFailure?.finishedAt != null &&
    (lastSuccess?.finishedAt == null || lastFailure.finishedAt > lastSuccess.finishedAt);
  return (
    <>
      {failedLast && (
        <div className="notice notice-error" role="alert" data-testid="backup-last-failure">
          <div>
            <strong>{text.lastFailed}</strong>
            {lastFailure.finishedAt !== null && (
              <> ({format.dateTime(lastFailure.finishedAt)})</>
            )}: {lastFailure.error ?? text.unknownError}
          </div>
        </div>
      )}
      <dl className="facts">
        <dt>{text.schedule}</dt>
        <dd data-testid="backup-schedule">
          {overview.schedule === null ? (
            <span className="muted">{text.noSchedule}</span>
          ) : (
            <>
              <span className="code">{overview.schedule}</span>{' '}
              <span className="muted">{text.cronNote}</span>
            </>
          )}
        </dd>
        <dt>{text.destination}</dt>
        <dd>
          {overview.destination === 's3' ? text.s3 : text.folder},{' '}
          {overview.encryption === 'age' ? text.encrypted : text.notEncrypted}
        </dd>
        <dt>{text.lastSuccess}</dt>
        <dd>
          {lastSuccess?.finishedAt == null ? text.never : format.dateTime(lastSuccess.finishedAt)}
        </dd>
        <dt>{text.lastFailure}</dt>
        <dd>
          {lastFailure?.finishedAt == null ? (
            text.noFailure
          ) : (
            <>
              {format.dateTime(lastFailure.finishedAt)}
              {lastFailure.error !== null && <span className="muted"> — {lastFailure.error}</span>}
            </>
          )}
        </dd>
      </dl>
    </>
  );
}

/**
 * Backups (admins): the list with size, contents and verification state, back up now with
 * progress, verify, download of the stored (encrypted) files. Restoring is a command-line
 * action on the server; the page shows the exact command.
 */
export function BackupsPage() {
  const text = useBackupsText();
  const format = useFormat();
  const overview = useResource((signal) => api.listBackups(signal), []);
  const [tracked, setTracked] = useState<BackupRun[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // Runs already going when the page opened (a scheduled one, another admin's) are followed too.
  useEffect(() => {
    const running = overview.data?.runs.filter((run) => run.status === 'running') ?? [];
    if (running.length === 0) return;
    setTracked((current) => [
      ...current,
      ...running.filter((run) => !current.some((known) => known.id === run.id)),
    ]);
  }, [overview.data]);

  const runningIds = tracked.filter((run) => run.status === 'running').map((run) => run.id);
  usePolling(
    () => {
      void Promise.all(runningIds.map((runId) => api.backupRun(runId))).then(
        (fresh) => {
          setTracked((current) => current.map((run) => fresh.find((f) => f.id === run.id) ?? run));
          if (fresh.some((run) => run.status !== 'running')) overview.reload();
        },
        (reason: unknown) => {
          setError(reason);
        },
      );
    },
    1000,
    runningIds.length > 0,
  );

  async function start(action: () => Promise<BackupRun>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const run = await action();
      setTracked((current) => [run, ...current.filter((r) => r.id !== run.id)]);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  }

  const data = overview.data;
  const creating = tracked.some((run) => run.kind === 'create' && run.status === 'running');
  const verifying = (backupId: string) =>
    tracked.some(
      (run) => run.kind === 'verify' && run.backupId === backupId && run.status === 'running',
    );

  return (
    <section>
      <PageHeader title={text.title} subtitle={text.lead}>
        <button
          type="button"
          className="button button-primary"
          disabled={busy || creating || data?.configured !== true}
          onClick={() => void start(() => api.createBackup())}
        >
          {creating ? text.backingUp : text.backUpNow}
        </button>
      </PageHeader>
      {overview.loading && <Loading what={text.loading} />}
      <ErrorNotice error={overview.error} />
      <ErrorNotice error={error} />
      {data !== undefined && !data.configured && <Notice tone="warning">{text.notSetUp}</Notice>}
      {data !== undefined && data.configured && data.destination === 'local' && (
        <Notice tone="info">{text.notOffSite}</Notice>
      )}
      {tracked.map((run) => (
        <BackupRunProgress key={run.id} run={run} />
      ))}
      {data !== undefined && <Summary overview={data} />}
      {data !== undefined && data.configured && data.items.length === 0 && (
        <Notice tone="info">{text.none}</Notice>
      )}
      {data !== undefined && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">{text.created}</th>
                <th scope="col">{text.size}</th>
                <th scope="col">{text.files}</th>
                <th scope="col">{text.status}</th>
                <th scope="col">{text.verification}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => {
                return (
                  <tr key={item.id} data-backup-id={item.id}>
                    <td data-label={text.created}>
                      {item.createdAt === null ? '—' : format.dateTime(item.createdAt)}
                      <div className="code muted">{item.id}</div>
                    </td>
                    <td data-label={text.size}>{format.bytes(item.bytes)}</td>
                    <td data-label={text.files}>{format.number(item.objects)}</td>
                    <td data-label={text.status}>
                      <StatusBadge
                        status={STATUS_LOOK[item.status]}
                        label={text.statuses[item.status]}
                      />
                    </td>
                    <td data-label={text.verification}>
                      <Verification item={item} />
                    </td>
                    <td data-label={text.actions}>
                      {item.status === 'complete' && (
                        <span className="actions">
                          <button
                            type="button"
                            className="button"
                            disabled={busy || verifying(item.id)}
                            onClick={() => void start(() => api.verifyBackup(item.id))}
                          >
                            {text.verify}
                            <span className="visually-hidden"> {item.id}</span>
                          </button>
                          <a className="button" href={api.backupArchiveUrl(item.id)} download>
                            {text.download}
                            <span className="visually-hidden"> {item.id}</span>
                          </a>
                          <CopyButton text={item.restoreCommand} label={text.copyRestore} />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data !== undefined && (
        <div className="card">
          <h2>{text.restoring}</h2>
          <p>
            {text.restoreLead} (<span className="code">--dry-run</span> {text.dryRun}):
          </p>
          <p>
            <span className="code" data-testid="restore-command">
              {data.items[0]?.restoreCommand ?? data.restoreCommand}
            </span>{' '}
            <CopyButton
              text={data.items[0]?.restoreCommand ?? data.restoreCommand}
              label={text.copyCommand}
            />
          </p>
          <p className="muted">
            {text.downloaded} ({text.see} <span className="code">docs/backup-restore.md</span>).
          </p>
        </div>
      )}
    </section>
  );
}
