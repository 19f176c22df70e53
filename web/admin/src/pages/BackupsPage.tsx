import { useEffect, useState } from 'react';
import { api, type BackupItem, type BackupOverview, type BackupRun } from '../api';
import { BackupRunProgress } from '../components/backups/BackupRunProgress';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice, Notice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { formatBytes, formatDateTime, formatNumber } from '../format';
import { usePolling } from '../hooks/usePolling';
import { useResource } from '../hooks/useResource';

const STATUS_LABEL: Record<BackupItem['status'], { status: string; label: string }> = {
  complete: { status: 'ready', label: 'Complete' },
  incomplete: { status: 'processing', label: 'Incomplete' },
  failed: { status: 'failed', label: 'Unreadable' },
};

function Verification({ item }: { item: BackupItem }) {
  const v = item.verification;
  if (v === null) return <span className="muted">Not verified</span>;
  if (v.status === 'running') return <StatusBadge status="running" label="Verifying" />;
  if (v.status === 'succeeded') {
    return (
      <>
        <StatusBadge status="ready" label="Verified" />
        {v.finishedAt !== null && <span className="muted"> {formatDateTime(v.finishedAt)}</span>}
      </>
    );
  }
  return (
    <>
      <StatusBadge status="failed" label="Verification failed" />
      {v.error !== null && <span className="muted"> {v.error}</span>}
    </>
  );
}

/** The schedule, the last success and the last failure: what an admin checks first. */
function Summary({ overview }: { overview: BackupOverview }) {
  const { lastSuccess, lastFailure } = overview;
  const failedLast =
    lastFailure?.finishedAt != null &&
    (lastSuccess?.finishedAt == null || lastFailure.finishedAt > lastSuccess.finishedAt);
  return (
    <>
      {failedLast && (
        <div className="notice notice-error" role="alert" data-testid="backup-last-failure">
          <div>
            <strong>The last backup failed</strong>
            {lastFailure.finishedAt !== null && (
              <> ({formatDateTime(lastFailure.finishedAt)})</>
            )}: {lastFailure.error ?? 'unknown error'}
          </div>
        </div>
      )}
      <dl className="facts">
        <dt>Schedule</dt>
        <dd data-testid="backup-schedule">
          {overview.schedule === null ? (
            <span className="muted">None: set BACKUP_SCHEDULE (cron, e.g. 0 3 * * *)</span>
          ) : (
            <>
              <span className="code">{overview.schedule}</span>{' '}
              <span className="muted">(cron, server time zone)</span>
            </>
          )}
        </dd>
        <dt>Destination</dt>
        <dd>
          {overview.destination === 's3' ? 'S3 bucket (off-site)' : 'Folder on this server'},{' '}
          {overview.encryption === 'age' ? 'encrypted (age)' : 'not encrypted'}
        </dd>
        <dt>Last successful backup</dt>
        <dd>
          {lastSuccess?.finishedAt == null ? 'Never' : formatDateTime(lastSuccess.finishedAt)}
        </dd>
        <dt>Last failure</dt>
        <dd>
          {lastFailure?.finishedAt == null ? (
            'None'
          ) : (
            <>
              {formatDateTime(lastFailure.finishedAt)}
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
      <PageHeader
        title="Backups"
        subtitle="Every backup holds the database and every stored file; later backups copy only new files."
      >
        <button
          type="button"
          className="button button-primary"
          disabled={busy || creating || data?.configured !== true}
          onClick={() => void start(() => api.createBackup())}
        >
          {creating ? 'Backing up…' : 'Back up now'}
        </button>
      </PageHeader>
      {overview.loading && <Loading what="Loading backups" />}
      <ErrorNotice error={overview.error} />
      <ErrorNotice error={error} />
      {data !== undefined && !data.configured && (
        <Notice tone="warning">
          Backups are not set up: set BACKUP_PASSPHRASE (or BACKUP_PASSPHRASE_FILE) on the server
          and restart it. Keep the passphrase somewhere safe: without it no backup can be restored.
        </Notice>
      )}
      {data !== undefined && data.configured && data.destination === 'local' && (
        <Notice tone="info">
          Backups are kept on this server&apos;s disk, which is not off-site: download them or set
          BACKUP_S3_* so a lost server does not take its backups with it.
        </Notice>
      )}
      {tracked.map((run) => (
        <BackupRunProgress key={run.id} run={run} />
      ))}
      {data !== undefined && <Summary overview={data} />}
      {data !== undefined && data.configured && data.items.length === 0 && (
        <Notice tone="info">No backups yet.</Notice>
      )}
      {data !== undefined && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table-cards">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Size</th>
                <th scope="col">Files</th>
                <th scope="col">Status</th>
                <th scope="col">Verification</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => {
                const look = STATUS_LABEL[item.status];
                return (
                  <tr key={item.id} data-backup-id={item.id}>
                    <td data-label="Created">
                      {item.createdAt === null ? '—' : formatDateTime(item.createdAt)}
                      <div className="code muted">{item.id}</div>
                    </td>
                    <td data-label="Size">{formatBytes(item.bytes)}</td>
                    <td data-label="Files">{formatNumber(item.objects)}</td>
                    <td data-label="Status">
                      <StatusBadge status={look.status} label={look.label} />
                    </td>
                    <td data-label="Verification">
                      <Verification item={item} />
                    </td>
                    <td data-label="Actions">
                      {item.status === 'complete' && (
                        <span className="actions">
                          <button
                            type="button"
                            className="button"
                            disabled={busy || verifying(item.id)}
                            onClick={() => void start(() => api.verifyBackup(item.id))}
                          >
                            Verify<span className="visually-hidden"> {item.id}</span>
                          </button>
                          <a className="button" href={api.backupArchiveUrl(item.id)} download>
                            Download<span className="visually-hidden"> {item.id}</span>
                          </a>
                          <CopyButton text={item.restoreCommand} label="Copy restore command" />
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
          <h2>Restoring</h2>
          <p>
            A restore brings back the whole installation, so it is done on the server with the
            command line, into an empty installation (<span className="code">--dry-run</span> shows
            what it would do):
          </p>
          <p>
            <span className="code" data-testid="restore-command">
              {data.items[0]?.restoreCommand ?? data.restoreCommand}
            </span>{' '}
            <CopyButton
              text={data.items[0]?.restoreCommand ?? data.restoreCommand}
              label="Copy command"
            />
          </p>
          <p className="muted">
            A downloaded backup is still encrypted: unpack it into an empty folder and point
            BACKUP_DIR at it to restore from it (see docs/backup-restore.md).
          </p>
        </div>
      )}
    </section>
  );
}
