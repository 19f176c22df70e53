import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
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

export interface TopPortraitRow extends DayCounts {
  portraitId: string;
  clientId: string;
  clientName: string;
  createdAt: string;
}

/**
 * The Monday (`YYYY-MM-DD`) of the ISO week of the text column `day`, UTC, the same on both
 * databases: SQLite moves to the coming Sunday (or stays on one) and back six days; PostgreSQL
 * subtracts the ISO weekday (Monday = 1) from the date, no time zone involved.
 */
function weekStartOf(dialect: SqlDialect): RawBuilder<string> {
  const day = sql.ref('portraitStatsDaily.day');
  return dialect === 'sqlite'
    ? sql<string>`date(${day}, 'weekday 0', '-6 days')`
    : sql<string>`to_char(cast(${day} as date) - (cast(extract(isodow from cast(${day} as date)) as integer) - 1), 'YYYY-MM-DD')`;
}

const counts = (row: Record<StatsCounter, number | string | null>): DayCounts => ({
  pageViews: Number(row.pageViews ?? 0),
  arStarts: Number(row.arStarts ?? 0),
  markersFound: Number(row.markersFound ?? 0),
  videoPlays: Number(row.videoPlays ?? 0),
});

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

    /**
     * Sums per ISO week (keyed by its Monday, UTC) over `[from, to]` (inclusive), of one
     * portrait or of all; only weeks with rows. A week cut by the range counts only its days
     * inside it.
     */
    async sumsByWeek(
      db: Executor,
      dialect: SqlDialect,
      range: { from: string; to: string; portraitId?: string },
    ): Promise<DayRow[]> {
      const week = weekStartOf(dialect);
      let query = withStats(db)
        .selectFrom('portraitStatsDaily')
        .select((eb) => [
          week.as('week'),
          eb.fn.sum<number | string>('pageViews').as('pageViews'),
          eb.fn.sum<number | string>('arStarts').as('arStarts'),
          eb.fn.sum<number | string>('markersFound').as('markersFound'),
          eb.fn.sum<number | string>('videoPlays').as('videoPlays'),
        ])
        .where('day', '>=', range.from)
        .where('day', '<=', range.to);
      if (range.portraitId !== undefined) query = query.where('portraitId', '=', range.portraitId);
      const rows = await query.groupBy(week).orderBy(week).execute();
      return rows.map((row) => ({ day: row.week, ...counts(row) }));
    },

    /**
     * The portraits with the most page views over `[from, to]` (inclusive), with their client;
     * ties: the newest portrait first. Portraits without a view in the range are left out.
     */
    async topPortraits(
      db: Executor,
      range: { from: string; to: string },
      limit: number,
    ): Promise<TopPortraitRow[]> {
      const rows = await withStats(db)
        .selectFrom('portraitStatsDaily')
        .innerJoin('portraits', 'portraits.id', 'portraitStatsDaily.portraitId')
        .innerJoin('clients', 'clients.id', 'portraits.clientId')
        .select((eb) => [
          'portraitStatsDaily.portraitId as portraitId',
          'portraits.clientId as clientId',
          'clients.name as clientName',
          'portraits.createdAt as createdAt',
          eb.fn.sum<number | string>('portraitStatsDaily.pageViews').as('pageViews'),
          eb.fn.sum<number | string>('portraitStatsDaily.arStarts').as('arStarts'),
          eb.fn.sum<number | string>('portraitStatsDaily.markersFound').as('markersFound'),
          eb.fn.sum<number | string>('portraitStatsDaily.videoPlays').as('videoPlays'),
        ])
        .where('portraitStatsDaily.day', '>=', range.from)
        .where('portraitStatsDaily.day', '<=', range.to)
        .groupBy([
          'portraitStatsDaily.portraitId',
          'portraits.clientId',
          'clients.name',
          'portraits.createdAt',
        ])
        .having((eb) => eb.fn.sum('portraitStatsDaily.pageViews'), '>', 0)
        .orderBy((eb) => eb.fn.sum('portraitStatsDaily.pageViews'), 'desc')
        .orderBy('portraits.createdAt', 'desc')
        .orderBy('portraitStatsDaily.portraitId', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        portraitId: row.portraitId,
        clientId: row.clientId,
        clientName: row.clientName,
        createdAt: row.createdAt,
        ...counts(row),
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
