import type { Database } from '../../infra/db/database.js';
import type { Clock } from '../../shared/clock.js';
import { notFound } from '../../shared/errors.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import type { ViewerEventName } from '../viewer/viewer.types.js';
import {
  STATS_COUNTERS,
  type AnalyticsRepo,
  type DayCounts,
  type DayRow,
  type StatsCounter,
} from './analytics.repo.js';
import { bucketsOf, dayRange, resolveRange, utcDay, type Bucket } from './analytics-range.js';
import { funnelOf } from './analytics-funnel.js';
import type {
  Dashboard,
  RangeQuery,
  Series,
  SeriesQuery,
  TopPortraits,
  TopPortraitsQuery,
} from './analytics.schemas.js';
import type { VisitDedup, Visitor } from './visit-dedup.js';

/** Which counter each page event feeds; every other event is not counted. */
const EVENT_COUNTERS: Partial<Record<ViewerEventName, StatsCounter>> = {
  start: 'arStarts',
  marker_found: 'markersFound',
  video_playing: 'videoPlays',
};

export { dayRange, utcDay } from './analytics-range.js';

const zeros = (): DayCounts => ({ pageViews: 0, arStarts: 0, markersFound: 0, videoPlays: 0 });

/** Every day of the range present (zeros where nothing happened), plus the totals. */
export function fillSeries(range: string[], rows: DayRow[]): Pick<Series, 'totals' | 'days'> {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const totals = zeros();
  const days = range.map((day) => {
    const row = byDay.get(day);
    const counts = zeros();
    for (const counter of STATS_COUNTERS) {
      counts[counter] = row?.[counter] ?? 0;
      totals[counter] += counts[counter];
    }
    return { day, ...counts };
  });
  return { totals, days };
}

/** Every bucket present, zeros where the repository had no row for its key. */
function fillBuckets(buckets: Bucket[], rows: DayRow[]): Series['buckets'] {
  const byKey = new Map(rows.map((row) => [row.day, row]));
  return buckets.map(({ key, start, end }) => {
    const row = byKey.get(key);
    const counts = zeros();
    for (const counter of STATS_COUNTERS) counts[counter] = row?.[counter] ?? 0;
    return { start, end, ...counts };
  });
}

interface Deps {
  database: Database;
  analytics: AnalyticsRepo;
  portraits: PortraitsRepo;
  clock: Clock;
  visitDedup: VisitDedup;
}

/**
 * View and interaction analytics (daily counters per portrait, UTC days) and the admin
 * dashboard's figures. Counting is an upsert, so concurrent visits never lose a count; a
 * visitor's repeated view or event within the dedup window is not counted again, so a script
 * cannot inflate the figures.
 */
export function createAnalyticsService({
  database,
  analytics,
  portraits,
  clock,
  visitDedup,
}: Deps) {
  const { db } = database;

  /**
   * A render of the public page: the portrait's total and today's counter, together, once per
   * visitor and window.
   */
  async function countPageView(portraitId: string, visitor: Visitor): Promise<void> {
    const day = utcDay(clock.now());
    await database.transaction(async (trx) => {
      if (!(await visitDedup.firstInWindow(trx, portraitId, 'view', visitor))) return;
      await portraits.countView(trx, portraitId);
      await analytics.increment(trx, portraitId, day, 'pageViews');
    });
  }

  /**
   * An event reported by the page; only start, marker found and video playing are counted,
   * each once per visitor and window.
   */
  async function countEvent(
    portraitId: string,
    event: ViewerEventName,
    visitor: Visitor,
  ): Promise<void> {
    const counter = EVENT_COUNTERS[event];
    if (counter === undefined) return;
    const day = utcDay(clock.now());
    await database.transaction(async (trx) => {
      if (!(await visitDedup.firstInWindow(trx, portraitId, `event:${event}`, visitor))) return;
      await analytics.increment(trx, portraitId, day, counter);
    });
  }

  async function series(query: SeriesQuery, portraitId?: string): Promise<Series> {
    const range = resolveRange(query, clock.now());
    const granularity = query.granularity ?? 'day';
    const filter = {
      from: range.from,
      to: range.to,
      ...(portraitId === undefined ? {} : { portraitId }),
    };
    const { totals, days } = fillSeries(range.days, await analytics.sumsByDay(db, filter));
    const buckets =
      granularity === 'day'
        ? days.map(({ day, ...counts }) => ({ start: day, end: day, ...counts }))
        : fillBuckets(
            bucketsOf(range, 'week'),
            await analytics.sumsByWeek(db, database.dialect, filter),
          );
    return {
      from: range.from,
      to: range.to,
      granularity,
      totals,
      days,
      buckets,
      funnel: funnelOf(totals),
    };
  }

  /** `days` (the old callers) or the whole query. */
  const asQuery = (query: SeriesQuery | number): SeriesQuery =>
    typeof query === 'number' ? { days: query } : query;

  async function portraitSeries(portraitId: string, query: SeriesQuery | number): Promise<Series> {
    if ((await portraits.findById(db, portraitId)) === undefined) throw notFound('portrait');
    return series(asQuery(query), portraitId);
  }

  const summary = (query: SeriesQuery | number): Promise<Series> => series(asQuery(query));

  /** The portraits most viewed over the range, with their client (for naming and linking). */
  async function topPortraits(
    query: RangeQuery & Pick<TopPortraitsQuery, 'limit'>,
  ): Promise<TopPortraits> {
    const range = resolveRange(query, clock.now());
    const items = await analytics.topPortraits(db, range, query.limit);
    return { from: range.from, to: range.to, items };
  }

  async function dashboard(): Promise<Dashboard> {
    const now = clock.now();
    const week = dayRange(now, 7);
    const today = utcDay(now);
    const jobs = await analytics.countByStatus(db, 'jobs');
    const portraitStatus = await analytics.countByStatus(db, 'portraits');
    return {
      counts: {
        clients: await analytics.countRows(db, 'clients'),
        portraits: await analytics.countRows(db, 'portraits'),
        videos: await analytics.countRows(db, 'videos'),
        orders: await analytics.countRows(db, 'orders'),
      },
      storageBytes: await analytics.storageBytes(db),
      recentOrders: await analytics.recentOrders(db, 5),
      jobs: { queued: jobs.queued ?? 0, running: jobs.running ?? 0, failed: jobs.failed ?? 0 },
      portraits: {
        processing: portraitStatus.processing ?? 0,
        ready: portraitStatus.ready ?? 0,
        failed: portraitStatus.failed ?? 0,
      },
      views: {
        today: await analytics.pageViews(db, today, today),
        last7Days: await analytics.pageViews(db, week[0] ?? today, today),
      },
    };
  }

  return { countPageView, countEvent, portraitSeries, summary, topPortraits, dashboard };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
