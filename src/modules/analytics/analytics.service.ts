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
import type { Dashboard, Series } from './analytics.schemas.js';
import type { VisitDedup, Visitor } from './visit-dedup.js';

/** Which counter each page event feeds; every other event is not counted. */
const EVENT_COUNTERS: Partial<Record<ViewerEventName, StatsCounter>> = {
  start: 'arStarts',
  marker_found: 'markersFound',
  video_playing: 'videoPlays',
};

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The `days` UTC days ending with `today`'s, oldest first. */
export function dayRange(today: Date, days: number): string[] {
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: days }, (_, i) =>
    utcDay(new Date(base - (days - 1 - i) * 86_400_000)),
  );
}

const zeros = (): DayCounts => ({ pageViews: 0, arStarts: 0, markersFound: 0, videoPlays: 0 });

/** Every day of the range present (zeros where nothing happened), plus the totals. */
export function fillSeries(range: string[], rows: DayRow[]): Series {
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

  async function series(days: number, portraitId?: string): Promise<Series> {
    const range = dayRange(clock.now(), days);
    const rows = await analytics.sumsByDay(db, {
      from: range[0] ?? '',
      to: range[range.length - 1] ?? '',
      ...(portraitId === undefined ? {} : { portraitId }),
    });
    return fillSeries(range, rows);
  }

  async function portraitSeries(portraitId: string, days: number): Promise<Series> {
    if ((await portraits.findById(db, portraitId)) === undefined) throw notFound('portrait');
    return series(days, portraitId);
  }

  const summary = (days: number): Promise<Series> => series(days);

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

  return { countPageView, countEvent, portraitSeries, summary, dashboard };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
