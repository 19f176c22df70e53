import { sql } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';

export interface JobKindStats {
  kind: string;
  queued: number;
  running: number;
  failed: number;
  /** Failed for good in the last day. */
  failedRecent: number;
  /** Age of the oldest queued job that is due (not waiting out a retry backoff). */
  oldestQueuedAgeSeconds: number;
}

export interface StorageBytesByKind {
  originals: number;
  videos: number;
  markers: number;
}

const toNumber = (value: number | string | null | undefined) => Number(value ?? 0);

/**
 * Bytes of the uploaded media, from the database (no storage listing): portrait originals, and
 * video originals plus their phone-playable copies.
 */
export async function mediaBytes(db: Executor): Promise<Omit<StorageBytesByKind, 'markers'>> {
  const portraits = await db
    .selectFrom('portraits')
    .select((eb) => eb.fn.sum<number | string | null>('originalSize').as('n'))
    .executeTakeFirstOrThrow();
  const videos = await db
    .selectFrom('videos')
    .select((eb) => [
      eb.fn.sum<number | string | null>('originalSize').as('originals'),
      eb.fn
        .sum<number | string | null>(
          eb.case().when('playableKey', 'is not', null).then(eb.ref('sizeBytes')).else(0).end(),
        )
        .as('playable'),
    ])
    .executeTakeFirstOrThrow();
  return {
    originals: toNumber(portraits.n),
    videos: toNumber(videos.originals) + toNumber(videos.playable),
  };
}

/** Operational figures read from the database: the same on every instance. */
export function createSystemStatusRepo(dialect: SqlDialect) {
  // Marker file sizes live in the marker's metrics JSON (`{"sizes":{"iset":…}}`).
  const markerFileBytes = (file: 'iset' | 'fset' | 'fset3') =>
    dialect === 'sqlite'
      ? sql<number>`coalesce(json_extract(metrics, ${`$.sizes.${file}`}), 0)`
      : sql<number>`coalesce((metrics::json -> 'sizes' ->> ${file})::bigint, 0)`;

  return {
    async storageBytesByKind(db: Executor): Promise<StorageBytesByKind> {
      const media = await mediaBytes(db);
      const markers = await db
        .selectFrom('markers')
        .where('status', '=', 'ready')
        .where('metrics', 'is not', null)
        .select(
          sql<
            number | string | null
          >`sum(${markerFileBytes('iset')} + ${markerFileBytes('fset')} + ${markerFileBytes('fset3')})`.as(
            'n',
          ),
        )
        .executeTakeFirstOrThrow();
      return {
        ...media,
        markers: toNumber(markers.n),
      };
    },

    async jobStats(db: Executor, now: Date): Promise<JobKindStats[]> {
      const nowIso = now.toISOString();
      const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
      const rows = await db
        .selectFrom('jobs')
        .where('status', 'in', ['queued', 'running', 'failed'])
        .select((eb) => [
          'kind',
          eb.fn
            .sum<number | string>(eb.case().when('status', '=', 'queued').then(1).else(0).end())
            .as('queued'),
          eb.fn
            .sum<number | string>(eb.case().when('status', '=', 'running').then(1).else(0).end())
            .as('running'),
          eb.fn
            .sum<number | string>(eb.case().when('status', '=', 'failed').then(1).else(0).end())
            .as('failed'),
          eb.fn
            .sum<number | string>(
              eb
                .case()
                .when(eb.and([eb('status', '=', 'failed'), eb('finishedAt', '>=', dayAgo)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('failedRecent'),
          eb.fn
            .min<string | null>(
              eb
                .case()
                .when(eb.and([eb('status', '=', 'queued'), eb('runAfter', '<=', nowIso)]))
                .then(eb.ref('runAfter'))
                .else(null)
                .end(),
            )
            .as('oldestDue'),
        ])
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      return rows.map((row) => ({
        kind: row.kind,
        queued: toNumber(row.queued),
        running: toNumber(row.running),
        failed: toNumber(row.failed),
        failedRecent: toNumber(row.failedRecent),
        oldestQueuedAgeSeconds:
          row.oldestDue === null
            ? 0
            : Math.max(0, (now.getTime() - Date.parse(row.oldestDue)) / 1000),
      }));
    },

    /** The metrics JSON of the newest ready markers (generation timings inside). */
    recentMarkerMetrics: (db: Executor, limit: number) =>
      db
        .selectFrom('markers')
        .where('status', '=', 'ready')
        .where('metrics', 'is not', null)
        .select(['metrics', 'selfTestFound'])
        .orderBy('updatedAt', 'desc')
        .limit(limit)
        .execute(),
  };
}

export type SystemStatusRepo = ReturnType<typeof createSystemStatusRepo>;
