import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { seedDayStats } from '../support/seed-analytics.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

interface Counts {
  pageViews: number;
  arStarts: number;
  markersFound: number;
  videoPlays: number;
}
interface Series {
  from: string;
  to: string;
  granularity: 'day' | 'week';
  totals: Counts;
  days: (Counts & { day: string })[];
  buckets: (Counts & { start: string; end: string })[];
  funnel: {
    opened: number;
    started: number;
    found: number;
    played: number;
    rates: Record<'started' | 'found' | 'played' | 'overall', number | null>;
  };
}
interface Top {
  from: string;
  to: string;
  items: (Counts & {
    portraitId: string;
    clientId: string;
    clientName: string;
    createdAt: string;
  })[];
}

const zero: Counts = { pageViews: 0, arStarts: 0, markersFound: 0, videoPlays: 0 };
/** Thursday 26 November to Tuesday 8 December 2026: across two week boundaries (Mondays 30 Nov, 7 Dec). */
const RANGE = 'from=2026-11-26&to=2026-12-08';

/**
 * Analytics over time on known figures (seeded through the analytics repository): per day and
 * per ISO week (Monday to Sunday, UTC, the same on SQLite and PostgreSQL), the viewer funnel as
 * counts and rates, the most viewed portraits, and the range's validation.
 */
describe('analytics over a date range', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let anna: SeededOrder;
  let boris: SeededOrder;
  let vera: SeededOrder;
  let gleb: SeededOrder;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    anna = await seedOrder(t, { clientName: 'Анна Петрова', phone: '+79123456789' });
    t.clock.advance(1000);
    boris = await seedOrder(t, { clientName: 'Boris Ivanov', phone: '+79995550011' });
    t.clock.advance(1000);
    vera = await seedOrder(t, { clientName: 'Вера Ким', phone: '+79001234567' });
    t.clock.advance(1000);
    gleb = await seedOrder(t, { clientName: 'Глеб Орлов', phone: '+79001234568' });

    await seedDayStats(t, anna.portraitId, '2026-11-25', { pageViews: 100 }); // before the range
    await seedDayStats(t, anna.portraitId, '2026-11-29', {
      pageViews: 3,
      arStarts: 2,
      markersFound: 1,
      videoPlays: 1,
    }); // Sunday
    await seedDayStats(t, anna.portraitId, '2026-11-30', {
      pageViews: 5,
      arStarts: 4,
      markersFound: 2,
      videoPlays: 1,
    }); // Monday
    await seedDayStats(t, anna.portraitId, '2026-12-06', { pageViews: 2 }); // Sunday
    await seedDayStats(t, anna.portraitId, '2026-12-07', { pageViews: 1 }); // Monday
    await seedDayStats(t, boris.portraitId, '2026-11-29', { pageViews: 4, arStarts: 1 });
    await seedDayStats(t, boris.portraitId, '2026-12-08', { pageViews: 1 });
    await seedDayStats(t, boris.portraitId, '2026-12-09', { pageViews: 50 }); // after the range
    await seedDayStats(t, vera.portraitId, '2026-11-30', { arStarts: 1 }); // no view
    await seedDayStats(t, gleb.portraitId, '2026-12-02', { pageViews: 5 }); // ties Boris, newer
  });
  afterAll(() => t.close());

  const get = async <T>(url: string): Promise<T> => {
    const response = await t.app.inject({ url, headers: bearer(operator) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };

  it('sums per UTC day, every day of the range present', async () => {
    const series = await get<Series>(`/api/analytics/summary?${RANGE}`);
    expect(series).toMatchObject({ from: '2026-11-26', to: '2026-12-08', granularity: 'day' });
    expect(series.days).toHaveLength(13);
    expect(series.days[0]).toEqual({ day: '2026-11-26', ...zero });
    expect(series.days[3]).toEqual({
      day: '2026-11-29',
      pageViews: 7,
      arStarts: 3,
      markersFound: 1,
      videoPlays: 1,
    });
    expect(series.days[4]).toEqual({
      day: '2026-11-30',
      pageViews: 5,
      arStarts: 5,
      markersFound: 2,
      videoPlays: 1,
    });
    expect(series.days.at(-1)).toEqual({ day: '2026-12-08', ...zero, pageViews: 1 });
    expect(series.buckets.map((b) => [b.start, b.end, b.pageViews])).toEqual(
      series.days.map((d) => [d.day, d.day, d.pageViews]),
    );
    expect(series.totals).toEqual({ pageViews: 21, arStarts: 8, markersFound: 3, videoPlays: 2 });
  });

  it('sums per ISO week (Monday to Sunday, UTC), cut to the range at its ends', async () => {
    const series = await get<Series>(`/api/analytics/summary?${RANGE}&granularity=week`);
    expect(series.granularity).toBe('week');
    expect(series.buckets).toEqual([
      {
        start: '2026-11-26',
        end: '2026-11-29',
        pageViews: 7,
        arStarts: 3,
        markersFound: 1,
        videoPlays: 1,
      },
      {
        start: '2026-11-30',
        end: '2026-12-06',
        pageViews: 12,
        arStarts: 5,
        markersFound: 2,
        videoPlays: 1,
      },
      { start: '2026-12-07', end: '2026-12-08', ...zero, pageViews: 2 },
    ]);
    // The days stay daily, whatever the bars.
    expect(series.days).toHaveLength(13);

    const annaWeeks = await get<Series>(
      `/api/analytics/portraits/${anna.portraitId}?${RANGE}&granularity=week`,
    );
    expect(annaWeeks.buckets.map((b) => b.pageViews)).toEqual([3, 7, 1]);
    expect(annaWeeks.totals.pageViews).toBe(11);

    // A range of whole weeks, one empty week in the middle.
    const whole = await get<Series>(
      '/api/analytics/summary?from=2026-11-16&to=2026-12-13&granularity=week',
    );
    expect(whole.buckets.map((b) => [b.start, b.end, b.pageViews])).toEqual([
      ['2026-11-16', '2026-11-22', 0],
      ['2026-11-23', '2026-11-29', 107],
      ['2026-11-30', '2026-12-06', 12],
      ['2026-12-07', '2026-12-13', 52],
    ]);
  });

  it('gives the viewer funnel as counts and rates', async () => {
    const series = await get<Series>(`/api/analytics/summary?${RANGE}`);
    expect(series.funnel).toEqual({
      opened: 21,
      started: 8,
      found: 3,
      played: 2,
      rates: { started: 8 / 21, found: 3 / 8, played: 2 / 3, overall: 2 / 21 },
    });
    // Vera's portrait: a start without a view is capped at 100 %; nothing after it is null.
    const vera1 = await get<Series>(`/api/analytics/portraits/${vera.portraitId}?${RANGE}`);
    expect(vera1.funnel).toEqual({
      opened: 0,
      started: 1,
      found: 0,
      played: 0,
      rates: { started: null, found: 0, played: null, overall: null },
    });
  });

  it('lists the most viewed portraits of the range, named by client, ties newest first', async () => {
    const top = await get<Top>(`/api/analytics/top-portraits?${RANGE}`);
    expect(top).toMatchObject({ from: '2026-11-26', to: '2026-12-08' });
    expect(top.items.map((item) => [item.clientName, item.pageViews])).toEqual([
      ['Анна Петрова', 11],
      ['Глеб Орлов', 5],
      ['Boris Ivanov', 5],
    ]);
    expect(top.items[0]).toEqual({
      portraitId: anna.portraitId,
      clientId: anna.clientId,
      clientName: 'Анна Петрова',
      createdAt: expect.any(String) as string,
      pageViews: 11,
      arStarts: 6,
      markersFound: 3,
      videoPlays: 2,
    });
    const one = await get<Top>(`/api/analytics/top-portraits?${RANGE}&limit=1`);
    expect(one.items.map((item) => item.portraitId)).toEqual([anna.portraitId]);
    // Outside the range the order changes: Boris's 50 views on 9 December.
    const later = await get<Top>('/api/analytics/top-portraits?from=2026-12-08&to=2026-12-09');
    expect(later.items.map((item) => [item.portraitId, item.pageViews])).toEqual([
      [boris.portraitId, 51],
    ]);
  });

  it('keeps `days` working, and exports the same range as CSV', async () => {
    const days = await get<Series>('/api/analytics/summary?days=7&granularity=week');
    expect(days.days).toHaveLength(7);
    expect(days.to).toBe(t.clock.now().toISOString().slice(0, 10));
    const length = (b: { start: string; end: string }) =>
      (Date.parse(b.end) - Date.parse(b.start)) / 86_400_000 + 1;
    expect(days.buckets.reduce((sum, b) => sum + length(b), 0)).toBe(7);

    const csv = await t.app.inject({
      url: `/api/analytics/export.csv?${RANGE}&portraitId=${anna.portraitId}`,
      headers: bearer(operator),
    });
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = csv.body
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean)
      .slice(1);
    expect(rows.map((row) => row.split(';')[0])).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-06',
      '2026-12-07',
    ]);
  });

  it('refuses a range that does not add up with 400 date_range_invalid, and needs a login', async () => {
    const cases: [string, string, string?][] = [
      ['from=2026-12-08&to=2026-12-01', 'date_range_invalid', 'to_before_from'],
      ['from=2026-01-01&to=2027-01-02', 'date_range_invalid', 'too_long'],
      ['from=2026-12-01', 'date_range_invalid', 'from_and_to_required'],
      ['to=2026-12-01', 'date_range_invalid', 'from_and_to_required'],
      ['days=7&from=2026-12-01&to=2026-12-02', 'date_range_invalid', 'days_with_dates'],
      ['from=2026-02-30&to=2026-03-02', 'date_range_invalid', 'not_a_day'],
      ['from=yesterday&to=2026-12-01', 'validation_failed'],
      ['granularity=month', 'validation_failed'],
      ['days=0', 'validation_failed'],
    ];
    const paths = [
      '/api/analytics/summary',
      `/api/analytics/portraits/${anna.portraitId}`,
      '/api/analytics/top-portraits',
      '/api/analytics/export.csv',
    ];
    for (const path of paths) {
      for (const [query, code, reason] of cases) {
        if (path !== '/api/analytics/summary' && query.startsWith('granularity')) continue;
        const response = await t.app.inject({ url: `${path}?${query}`, headers: bearer(operator) });
        expect(response.statusCode, `${path}?${query}`).toBe(400);
        const body = response.json<{ error: { code: string; details?: { reason?: string } } }>();
        expect(body.error.code, `${path}?${query}`).toBe(code);
        if (reason !== undefined) expect(body.error.details?.reason).toBe(reason);
      }
    }
    // Exactly 366 days is fine.
    const year = await get<Series>('/api/analytics/summary?from=2026-01-01&to=2027-01-01');
    expect(year.days).toHaveLength(366);
    expect(
      (
        await t.app.inject({
          url: '/api/analytics/top-portraits?limit=0',
          headers: bearer(operator),
        })
      ).statusCode,
    ).toBe(400);
    // A refused export leaves nothing behind in the audit log: after one more good export
    // (entries are written in order), there are exactly two.
    const good = await t.app.inject({
      url: `/api/analytics/export.csv?${RANGE}`,
      headers: bearer(operator),
    });
    expect(good.statusCode).toBe(200);
    const exports = async () =>
      (
        await t.ctx.database.db
          .selectFrom('auditLog')
          .select('action')
          .where('action', '=', 'analytics.export')
          .execute()
      ).length;
    await expect.poll(exports).toBeGreaterThanOrEqual(2);
    expect(await exports()).toBe(2);
    expect((await t.app.inject({ url: '/api/analytics/top-portraits' })).statusCode).toBe(401);
  });
});
