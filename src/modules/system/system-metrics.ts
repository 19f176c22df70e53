import { Gauge, type Registry } from 'prom-client';
import type { SystemStatus } from './system-status.service.js';

/**
 * One database read per scrape, however many gauges ask: prom-client starts every collect()
 * of a scrape at once, so they share the read in flight; the next scrape reads afresh.
 */
function sharedSnapshot(read: () => Promise<SystemStatus>) {
  let inFlight: Promise<SystemStatus | undefined> | undefined;
  return (): Promise<SystemStatus | undefined> => {
    // A failed read (database down) leaves these series out; the scrape itself still works.
    inFlight ??= read()
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

type Sample = [labels: Record<string, string>, value: number];

/**
 * The gauges of docs/operations.md that come from the System status snapshot: disk, storage,
 * database pool, job queue and dependency health.
 */
export function registerSystemGauges(
  registry: Registry,
  snapshot: () => Promise<SystemStatus>,
): void {
  const read = sharedSnapshot(snapshot);
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    samples: (status: SystemStatus) => Sample[],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const status = await read();
        if (status === undefined) return;
        for (const [labels, value] of samples(status)) this.set(labels, value);
      },
    });

  gauge(
    'vertex_dependency_up',
    'Whether the database and the storage answer (1) or not (0).',
    ['dependency'],
    (s) => [
      [{ dependency: 'database' }, s.database.ok ? 1 : 0],
      [{ dependency: 'storage' }, s.storage.ok ? 1 : 0],
    ],
  );
  gauge(
    'vertex_disk_total_bytes',
    'Size of the file system holding DATA_DIR / the storage folder.',
    ['volume'],
    (s) => s.disk.map((d) => [{ volume: d.volume }, d.totalBytes]),
  );
  gauge(
    'vertex_disk_free_bytes',
    'Bytes available to the service on that file system.',
    ['volume'],
    (s) => s.disk.map((d) => [{ volume: d.volume }, d.freeBytes]),
  );
  gauge(
    'vertex_storage_bytes',
    'Bytes of stored media by kind, from the database.',
    ['kind'],
    (s) => Object.entries(s.storageBytes).map(([kind, bytes]) => [{ kind }, bytes]),
  );
  gauge('vertex_db_pool_max_connections', 'Size of the database connection pool.', [], (s) => [
    [{}, s.database.pool.max],
  ]);
  gauge('vertex_db_pool_connections_in_use', 'Database connections checked out now.', [], (s) => [
    [{}, s.database.pool.inUse],
  ]);
  gauge('vertex_db_pool_waiting_requests', 'Queries waiting for a free connection.', [], (s) => [
    [{}, s.database.pool.waiting],
  ]);
  gauge('vertex_jobs', 'Jobs in the queue by kind and status.', ['kind', 'status'], (s) =>
    s.jobs.flatMap((j): Sample[] => [
      [{ kind: j.kind, status: 'queued' }, j.queued],
      [{ kind: j.kind, status: 'running' }, j.running],
      [{ kind: j.kind, status: 'failed' }, j.failed],
    ]),
  );
  gauge(
    'vertex_jobs_failed_recent',
    'Jobs that failed for good in the last 24 hours.',
    ['kind'],
    (s) => s.jobs.map((j) => [{ kind: j.kind }, j.failedRecent]),
  );
  gauge(
    'vertex_jobs_oldest_queued_age_seconds',
    'Age of the oldest queued job that is due (0 when none).',
    ['kind'],
    (s) => s.jobs.map((j) => [{ kind: j.kind }, j.oldestQueuedAgeSeconds]),
  );
}
