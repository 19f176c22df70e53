import type { SystemStatus } from '../../api';
import { formatNumber } from '../../format';
import { HealthBadge } from './SystemBadges';
import { Fact, SystemCard } from './SystemCard';
import type { SystemFormat, SystemText } from './systemText';

const DIALECTS: Readonly<Record<SystemStatus['database']['dialect'], string>> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
};

interface Props {
  status: SystemStatus;
  text: SystemText;
  format: SystemFormat;
}

/** Version, uptime and when this instance started. */
export function ApplicationCard({ status, text, format }: Props) {
  return (
    <SystemCard title={text.application} testId="system-application">
      <dl className="system-facts">
        <Fact label={text.version} testId="system-version">
          <span className="code">{status.version}</span>
        </Fact>
        <Fact label={text.uptime} testId="system-uptime">
          {format.duration(status.uptimeSeconds)}
        </Fact>
        <Fact label={text.startedAt}>
          <time dateTime={status.startedAt}>{format.time(status.startedAt)}</time>
        </Fact>
      </dl>
    </SystemCard>
  );
}

/** The database: which engine, whether it answers, its connection pool. */
export function DatabaseCard({ status, text }: Omit<Props, 'format'>) {
  const { dialect, ok, pool } = status.database;
  return (
    <SystemCard
      title={text.database}
      testId="system-database"
      warning={ok ? null : text.needsAttention}
    >
      <dl className="system-facts">
        <Fact label={text.engine}>{DIALECTS[dialect]}</Fact>
        <Fact label={text.status} testId="system-database-health">
          <HealthBadge ok={ok} text={text} />
        </Fact>
        <Fact label={text.connections}>{text.ofMax(pool.inUse, pool.max)}</Fact>
        <Fact label={text.waiting}>{formatNumber(pool.waiting)}</Fact>
      </dl>
    </SystemCard>
  );
}

/** The file storage: local disk or S3, and whether it answers. */
export function StorageCard({ status, text }: Omit<Props, 'format'>) {
  const { driver, ok } = status.storage;
  return (
    <SystemCard
      title={text.storage}
      testId="system-storage"
      warning={ok ? null : text.needsAttention}
    >
      <dl className="system-facts">
        <Fact label={text.driver}>{text.drivers[driver]}</Fact>
        <Fact label={text.status} testId="system-storage-health">
          <HealthBadge ok={ok} text={text} />
        </Fact>
      </dl>
    </SystemCard>
  );
}

/** How many bytes the stored originals, videos and markers take. */
export function StoredMediaCard({ status, text, format }: Props) {
  const { originals, videos, markers } = status.storageBytes;
  return (
    <SystemCard title={text.storedMedia} testId="system-stored">
      <dl className="system-facts">
        <Fact label={text.originals}>{format.bytes(originals)}</Fact>
        <Fact label={text.videos}>{format.bytes(videos)}</Fact>
        <Fact label={text.markers}>{format.bytes(markers)}</Fact>
      </dl>
    </SystemCard>
  );
}
