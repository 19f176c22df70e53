import type { Kysely } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { DB } from '../../infra/db/schema.js';
import { mediaBytes } from '../system/system-status.repo.js';

/** `portrait_stats_daily` (migration 0003): one row per portrait and UTC day. */
export interface PortraitStatsDailyTable {
  portraitId: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  pageViews: number;
  arStarts: number;
  markersFound: number;
  videoPlays: number;
}

export type StatsCounter = 'pageViews' | 'arStarts' | 'markersFound' | 'videoPlays';
export const STATS_COUNTERS: readonly StatsCounter[] = [
  'pageViews',
  'arStarts',
  'markersFound',
  'videoPlays',
];

export type DayCounts = Record<StatsCounter, number>;
export interface DayRow extends DayCounts {
  day: string;
}

type StatsTables = { portraitStatsDaily: PortraitStatsDailyTable };

// A transaction is a Kysely too; `withTables` keeps it the same connection.
const withStats = (db: Executor) => (db as Kysely<DB>).withTables<StatsTables>();

export function createAnalyticsRepo() {
  return {
    /** Adds one to a counter of a portrait's day, creating the row (race-free upsert). */
    async increment(
      db: Executor,
      portraitId: string,
      day: string,
      counter: StatsCounter,
    ): Promise<void> {
      await withStats(db)
        .insertInto('portraitStatsDaily')
        .values({
          portraitId,
          day,
          pageViews: 0,
          arStarts: 0,
          markersFound: 0,
          videoPlays: 0,
          [counter]: 1,
        })
        .onConflict((oc) =>
          oc.columns(['portraitId', 'day']).doUpdateSet((eb) => ({
            [counter]: eb(eb.ref(`portraitStatsDaily.${counter}`), '+', 1),
          })),
        )
        .execute();
    },

    /** Per-day sums over `[from, to]` (inclusive), of one portrait or of all; only days with rows. */
    async sumsByDay(
      db: Executor,
      range: { from: string; to: string; portraitId?: string },
    ): Promise<DayRow[]> {
      let query = withStats(db)
        .selectFrom('portraitStatsDaily')
        .select((eb) => [
          'day',
          eb.fn.sum<number | string>('pageViews').as('pageViews'),
          eb.fn.sum<number | string>('arStarts').as('arStarts'),
          eb.fn.sum<number | string>('markersFound').as('markersFound'),
          eb.fn.sum<number | string>('videoPlays').as('videoPlays'),
        ])
        .where('day', '>=', range.from)
        .where('day', '<=', range.to);
      if (range.portraitId !== undefined) query = query.where('portraitId', '=', range.portraitId);
      const rows = await query.groupBy('day').orderBy('day').execute();
      return rows.map((row) => ({
        day: row.day,
        pageViews: Number(row.pageViews),
        arStarts: Number(row.arStarts),
        markersFound: Number(row.markersFound),
        videoPlays: Number(row.videoPlays),
      }));
    },

    /** Page views over `[from, to]` (inclusive) across all portraits. */
    async pageViews(db: Executor, from: string, to: string): Promise<number> {
      const row = await withStats(db)
        .selectFrom('portraitStatsDaily')
        .select((eb) => eb.fn.sum<number | string | null>('pageViews').as('n'))
        .where('day', '>=', from)
        .where('day', '<=', to)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async countRows(
      db: Executor,
      table: 'clients' | 'portraits' | 'videos' | 'orders',
    ): Promise<number> {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Bytes the stored media take, from the database (no storage listing): the originals of
     * portraits and videos plus the phone-playable copies.
     */
    async storageBytes(db: Executor): Promise<number> {
      const { originals, videos } = await mediaBytes(db);
      return originals + videos;
    },

    /** Row counts by status (`status` → count). */
    async countByStatus(
      db: Executor,
      table: 'portraits' | 'jobs',
    ): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom(table)
        .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },

    recentOrders: (db: Executor, limit: number) =>
      db
        .selectFrom('orders')
        .innerJoin('clients', 'clients.id', 'orders.clientId')
        .innerJoin('portraits', 'portraits.id', 'orders.portraitId')
        .select([
          'orders.id as id',
          'orders.number as number',
          'portraits.status as status',
          'orders.createdAt as createdAt',
          'clients.name as clientName',
          'orders.portraitId as portraitId',
        ])
        .orderBy('orders.createdAt', 'desc')
        .orderBy('orders.id', 'desc')
        .limit(limit)
        .execute(),
  };
}

export type AnalyticsRepo = ReturnType<typeof createAnalyticsRepo>;
