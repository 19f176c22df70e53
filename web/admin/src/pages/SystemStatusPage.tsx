import { useId, useState } from 'react';
import { api, type SystemStatus } from '../api';
import { AdminOnlyPage, useIsAdmin } from '../components/AdminOnlyPage';
import { ErrorNotice } from '../components/ErrorNotice';
import { Icon } from '../components/Icon';
import { Loading } from '../components/Loading';
import { DiskCard } from '../components/system/DiskSpace';
import {
  ApplicationCard,
  DatabaseCard,
  StorageCard,
  StoredMediaCard,
} from '../components/system/HealthCards';
import { jobNeedsAttention, JobQueueTable } from '../components/system/JobQueue';
import { BackupCard } from '../components/system/LastBackup';
import { MarkerCard } from '../components/system/MarkerTimings';
import { WarningBadge } from '../components/system/SystemBadges';
import { useSystemText } from '../components/system/systemText';
import { usePolling } from '../hooks/usePolling';
import { useResource } from '../hooks/useResource';

const REFRESH_MS = 30_000;

interface Snapshot {
  status: SystemStatus;
  /** When the answer arrived, on this browser's clock ("Updated at …"). */
  receivedAt: number;
}

/**
 * The System status page (admins): version and uptime, database and storage health, disk
 * space, stored media, the job queue, the last backup and marker timings; the snapshot that
 * also feeds /metrics, refreshed every 30 s and on demand. In Russian or English.
 */
export function SystemStatusPage() {
  const admin = useIsAdmin();
  const { locale, text, format } = useSystemText();
  const jobsHeadingId = useId();
  const [refreshing, setRefreshing] = useState(false);

  const snapshot = useResource(
    (signal): Promise<Snapshot | null> =>
      admin
        ? api.systemStatus(signal).then(
            (status) => {
              if (!signal.aborted) setRefreshing(false);
              return { status, receivedAt: Date.now() };
            },
            (error: unknown) => {
              if (!signal.aborted) setRefreshing(false);
              throw error;
            },
          )
        : Promise.resolve(null),
    [admin],
  );
  const refresh = () => {
    setRefreshing(true);
    snapshot.reload();
  };
  usePolling(refresh, REFRESH_MS, admin);

  const data = snapshot.data ?? null;
  // Ages are counted on the server's clock (a studio PC's clock may be off).
  const serverNow =
    data === null ? 0 : Date.parse(data.status.startedAt) + data.status.uptimeSeconds * 1000;
  const jobsWarn = data?.status.jobs.some(jobNeedsAttention) === true;
  const refreshButton = (
    <button
      type="button"
      className="button"
      disabled={refreshing}
      onClick={refresh}
      data-testid="system-refresh"
    >
      <Icon name="refresh" />
      {refreshing ? text.refreshing : text.refresh}
    </button>
  );
  return (
    <AdminOnlyPage locale={locale} text={text} actions={refreshButton}>
      {snapshot.loading && <Loading what={text.loading} />}
      <ErrorNotice error={snapshot.error} />
      {data !== null && (
        <>
          <p className="muted" data-testid="system-updated">
            {text.updated(format.clock(data.receivedAt))}
          </p>
          <div className="system-grid">
            <ApplicationCard status={data.status} text={text} format={format} />
            <DatabaseCard status={data.status} text={text} />
            <StorageCard status={data.status} text={text} />
            <DiskCard status={data.status} text={text} format={format} />
            <StoredMediaCard status={data.status} text={text} format={format} />
            <BackupCard backup={data.status.backup} nowMs={serverNow} text={text} format={format} />
            <MarkerCard markers={data.status.markers} text={text} format={format} />
          </div>
          <section
            className="system-jobs-section"
            aria-labelledby={jobsHeadingId}
            data-testid="system-jobs"
            data-warning={jobsWarn}
          >
            <div className="system-section-heading">
              <h2 id={jobsHeadingId}>{text.jobs}</h2>
              {jobsWarn && <WarningBadge label={text.needsAttention} />}
            </div>
            <JobQueueTable
              jobs={data.status.jobs}
              captionId={jobsHeadingId}
              text={text}
              format={format}
            />
          </section>
        </>
      )}
    </AdminOnlyPage>
  );
}
