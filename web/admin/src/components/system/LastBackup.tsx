import type { SystemStatus } from '../../api';
import { Link } from '../../router';
import { Icon } from '../Icon';
import { Fact, SystemCard } from './SystemCard';
import type { SystemFormat, SystemText } from './systemText';

/** A daily backup that is this old has missed its run. */
export const BACKUP_STALE_MS = 26 * 3600_000;

/**
 * When the last backup succeeded (relative and absolute), how long it took and how big it
 * is, and a failure that came after it. Warns when there is none or it is over 26 h old.
 */
export function BackupCard({
  backup,
  nowMs,
  text,
  format,
}: {
  backup: SystemStatus['backup'];
  /** The server's time of the snapshot: ages are counted from then. */
  nowMs: number;
  text: SystemText;
  format: SystemFormat;
}) {
  const { lastSuccessAt, lastDurationSeconds, lastSizeBytes, lastFailureAt } = backup;
  const successMs = lastSuccessAt === null ? null : Date.parse(lastSuccessAt);
  const stale = successMs === null || nowMs - successMs > BACKUP_STALE_MS;
  const failedSince =
    lastFailureAt !== null && (successMs === null || Date.parse(lastFailureAt) > successMs);
  return (
    <SystemCard
      title={text.backup}
      testId="system-backup"
      warning={stale || failedSince ? text.needsAttention : null}
    >
      {lastSuccessAt === null ? (
        <p data-testid="system-backup-none">{text.noBackup}</p>
      ) : (
        <>
          {stale && <p>{text.backupStale}</p>}
          <dl className="system-facts">
            <Fact label={text.when} testId="system-backup-when">
              <time dateTime={lastSuccessAt}>
                {format.ago(lastSuccessAt, nowMs)}
                <span className="muted"> · {format.time(lastSuccessAt)}</span>
              </time>
            </Fact>
            <Fact label={text.took}>
              {lastDurationSeconds === null ? '—' : format.duration(lastDurationSeconds)}
            </Fact>
            <Fact label={text.size}>
              {lastSizeBytes === null ? '—' : format.bytes(lastSizeBytes)}
            </Fact>
          </dl>
        </>
      )}
      {failedSince && (
        <p className="system-failure" data-testid="system-backup-failure">
          <Icon name="alert" />
          <span>
            {text.lastFailure}:{' '}
            <time dateTime={lastFailureAt}>
              {format.ago(lastFailureAt, nowMs)} · {format.time(lastFailureAt)}
            </time>
          </span>
        </p>
      )}
      <Link to="/backups">{text.openBackups}</Link>
    </SystemCard>
  );
}
