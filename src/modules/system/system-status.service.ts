import { statfs } from 'node:fs/promises';
import type { Database } from '../../infra/db/database.js';
import type { Storage } from '../../infra/storage/index.js';
import type { Clock } from '../../shared/clock.js';
import { withTimeout } from '../../shared/with-timeout.js';
import { versionInfo } from '../../version.js';
import type { BackupRunsRepo } from '../backup/backup-runs.repo.js';
import type { JobKindStats, StorageBytesByKind, SystemStatusRepo } from './system-status.repo.js';

const CHECK_TIMEOUT_MS = 3000;
/** Marker timings are summarised over this many of the newest markers. */
const RECENT_MARKERS = 50;

export interface DiskVolume {
  /** `data` (DATA_DIR) or `storage` (the local storage folder). */
  volume: 'data' | 'storage';
  totalBytes: number;
  freeBytes: number;
}

export interface SystemStatus {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  database: {
    dialect: Database['dialect'];
    ok: boolean;
    pool: { max: number; inUse: number; idle: number; waiting: number };
  };
  storage: { driver: Storage['driver']; ok: boolean };
  disk: DiskVolume[];
  storageBytes: StorageBytesByKind;
  jobs: JobKindStats[];
  backup: {
    lastSuccessAt: string | null;
    lastDurationSeconds: number | null;
    lastSizeBytes: number | null;
    lastFailureAt: string | null;
  };
  markers: {
    /** How many of the newest ready markers the figures below summarise. */
    sampled: number;
    medianSeconds: number | null;
    maxSeconds: number | null;
    selfTestPassed: number;
  };
}

export interface SystemStatusDeps {
  database: Database;
  storage: Storage;
  repo: SystemStatusRepo;
  backupRuns: BackupRunsRepo;
  clock: Clock;
  /** Kinds reported even without jobs (0 rather than absent: alerts compare numbers). */
  jobKinds: readonly string[];
  /** Folders whose file systems are reported (the storage one only for local storage). */
  volumes: { volume: DiskVolume['volume']; path: string }[];
}

async function passes(check: () => Promise<void>): Promise<boolean> {
  try {
    await withTimeout(check(), CHECK_TIMEOUT_MS);
    return true;
  } catch {
    return false;
  }
}

function markerSeconds(metrics: string | null): number | null {
  try {
    const parsed = JSON.parse(metrics ?? 'null') as {
      timings?: { generateMs?: unknown; selfTestMs?: unknown };
    } | null;
    const { generateMs, selfTestMs } = parsed?.timings ?? {};
    return typeof generateMs === 'number' && typeof selfTestMs === 'number'
      ? (generateMs + selfTestMs) / 1000
      : null;
  } catch {
    return null;
  }
}

/**
 * What the System status page shows and the gauges of /metrics report: one snapshot, so the
 * page and the dashboards never disagree. Database figures are read at call time.
 */
export function createSystemStatus(deps: SystemStatusDeps) {
  const { database, storage, repo, backupRuns, clock } = deps;
  const { db } = database;
  const startedAt = clock.now();

  async function disk(): Promise<DiskVolume[]> {
    return Promise.all(
      deps.volumes.map(async ({ volume, path }) => {
        const stats = await statfs(path);
        return {
          volume,
          totalBytes: stats.blocks * stats.bsize,
          freeBytes: stats.bavail * stats.bsize,
        };
      }),
    );
  }

  async function markers(): Promise<SystemStatus['markers']> {
    const rows = await repo.recentMarkerMetrics(db, RECENT_MARKERS);
    const seconds = rows
      .map((row) => markerSeconds(row.metrics))
      .filter((s): s is number => s !== null)
      .sort((a, b) => a - b);
    return {
      sampled: rows.length,
      medianSeconds:
        seconds.length === 0 ? null : (seconds[Math.floor((seconds.length - 1) / 2)] ?? null),
      maxSeconds: seconds.at(-1) ?? null,
      selfTestPassed: rows.filter((row) => row.selfTestFound === 1).length,
    };
  }

  async function jobs(now: Date): Promise<JobKindStats[]> {
    const found = await repo.jobStats(db, now);
    const idle = deps.jobKinds
      .filter((kind) => !found.some((stats) => stats.kind === kind))
      .map((kind) => ({
        kind,
        queued: 0,
        running: 0,
        failed: 0,
        failedRecent: 0,
        oldestQueuedAgeSeconds: 0,
      }));
    return [...found, ...idle].sort((a, b) => a.kind.localeCompare(b.kind));
  }

  async function backup(): Promise<SystemStatus['backup']> {
    const [success, failure] = await Promise.all([
      backupRuns.lastFinished(db, 'succeeded'),
      backupRuns.lastFinished(db, 'failed'),
    ]);
    const finished = success?.finishedAt ?? null;
    return {
      lastSuccessAt: finished,
      lastDurationSeconds:
        success === undefined || finished === null
          ? null
          : (Date.parse(finished) - Date.parse(success.startedAt)) / 1000,
      lastSizeBytes: success?.bytes ?? null,
      lastFailureAt: failure?.finishedAt ?? null,
    };
  }

  return {
    async snapshot(): Promise<SystemStatus> {
      const now = clock.now();
      const [databaseOk, storageOk, volumes, storageBytes, jobStats, lastBackup, markerTimings] =
        await Promise.all([
          passes(() => database.ping()),
          passes(() => storage.ping()),
          disk(),
          repo.storageBytesByKind(db),
          jobs(now),
          backup(),
          markers(),
        ]);
      const pool = database.poolStats();
      return {
        version: versionInfo.version,
        startedAt: startedAt.toISOString(),
        uptimeSeconds: (now.getTime() - startedAt.getTime()) / 1000,
        database: {
          dialect: database.dialect,
          ok: databaseOk,
          // SQLite: one connection, in use while a query runs (never observed between queries).
          pool:
            pool === undefined
              ? { max: 1, inUse: 0, idle: 1, waiting: 0 }
              : {
                  max: pool.max,
                  inUse: pool.total - pool.idle,
                  idle: pool.idle,
                  waiting: pool.waiting,
                },
        },
        storage: { driver: storage.driver, ok: storageOk },
        disk: volumes,
        storageBytes,
        jobs: jobStats,
        backup: lastBackup,
        markers: markerTimings,
      };
    },
  };
}

export type SystemStatusService = ReturnType<typeof createSystemStatus>;
