import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/shared/ids.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { fixtureParts, postOrder } from '../support/studio.js';

interface Counts {
  pageViews: number;
  arStarts: number;
  markersFound: number;
  videoPlays: number;
}
interface Series {
  totals: Counts;
  days: (Counts & { day: string })[];
}

const DAY_MS = 86_400_000;
const zero: Counts = { pageViews: 0, arStarts: 0, markersFound: 0, videoPlays: 0 };
const utcDay = (date: Date) => date.toISOString().slice(0, 10);
/** Each request from a new visitor: one visitor's repeats are deduplicated (analytics-dedup). */
let visitors = 0;
const newVisitor = () => ({ 'user-agent': `analytics-test-visitor-${++visitors}` });

describe('analytics and dashboard', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let first: { id: string; slug: string; orderId: string; number: string };
  let second: { id: string; slug: string; orderId: string; number: string };

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    const order = async (name: string, phone: string) => {
      const response = await postOrder(t, operator, {
        fields: { clientName: name, clientPhone: phone },
      });
      expect(response.statusCode, response.body).toBe(202);
      const body = response.json<{
        order: { id: string; number: string };
        portrait: { id: string; slug: string };
      }>();
      return { ...body.portrait, orderId: body.order.id, number: body.order.number };
    };
    first = await order('Anna Petrova', '+7 999 111 22 33');
    second = await order('Boris Ivanov', '+7 999 444 55 66');
  });
  afterAll(() => t.close());

  const viewCount = async (portraitId: string): Promise<number> =>
    (
      await t.ctx.database.db
        .selectFrom('portraits')
        .select('viewCount')
        .where('id', '=', portraitId)
        .executeTakeFirstOrThrow()
    ).viewCount;

  /** Page views are recorded after the page is sent: wait until the count has arrived. */
  async function viewPage(slug: string, portraitId: string, times: number): Promise<void> {
    const target = (await viewCount(portraitId)) + times;
    const pages = await Promise.all(
      Array.from({ length: times }, () =>
        t.app.inject({ url: `/p/${slug}`, headers: newVisitor() }),
      ),
    );
    for (const page of pages) expect(page.statusCode).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((await viewCount(portraitId)) < target) {
      if (Date.now() > deadline) throw new Error('page views were not recorded');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await viewCount(portraitId)).toBe(target);
  }

  async function sendEvents(slug: string, events: string[]): Promise<void> {
    const responses = await Promise.all(
      events.map((event) =>
        t.app.inject({
          method: 'POST',
          url: `/p/${slug}/events`,
          headers: newVisitor(),
          payload: { event, sinceLoadMs: 1234 },
        }),
      ),
    );
    for (const response of responses) expect(response.statusCode, response.body).toBe(204);
  }

  const get = async <T>(url: string, session = operator): Promise<T> => {
    const response = await t.app.inject({ url, headers: bearer(session) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };

  it('counts page views and page events per portrait and UTC day, with every day present', async () => {
    const day0 = t.clock.now();
    await viewPage(first.slug, first.id, 3);
    await viewPage(second.slug, second.id, 1);
    await sendEvents(first.slug, [
      'start',
      'start',
      'camera_ready', // not counted
      'marker_found',
      'video_playing',
      'marker_lost', // not counted
    ]);
    await sendEvents(second.slug, ['start']);
    // Unknown slugs are answered but not counted anywhere.
    await sendEvents('Unknown123', ['start']);
    expect((await t.app.inject({ url: '/p/Unknown123' })).statusCode).toBe(404);
    const invalid = await t.app.inject({
      method: 'POST',
      url: `/p/${first.slug}/events`,
      payload: { event: 'hacked', sinceLoadMs: 1 },
    });
    expect(invalid.statusCode).toBe(400);

    // Two days later (sessions idle out meanwhile: log in again).
    t.clock.advance(2 * DAY_MS);
    const today = t.clock.now();
    operator = await t.loginAs('operator');
    await viewPage(first.slug, first.id, 2);
    await sendEvents(first.slug, ['start']);

    const series = await get<Series>(`/api/analytics/portraits/${first.id}?days=7`);
    expect(series.days.map((d) => d.day)).toEqual(
      Array.from({ length: 7 }, (_, i) => utcDay(new Date(today.getTime() - (6 - i) * DAY_MS))),
    );
    expect(series.days[4]).toEqual({
      day: utcDay(day0),
      pageViews: 3,
      arStarts: 2,
      markersFound: 1,
      videoPlays: 1,
    });
    expect(series.days[5]).toEqual({ day: utcDay(new Date(day0.getTime() + DAY_MS)), ...zero });
    expect(series.days[6]).toEqual({ day: utcDay(today), ...zero, pageViews: 2, arStarts: 1 });
    for (const day of series.days.slice(0, 4)) expect(day).toMatchObject(zero);
    expect(series.totals).toEqual({ pageViews: 5, arStarts: 3, markersFound: 1, videoPlays: 1 });

    // The portrait's total view counter moves with the daily counters.
    const detail = await get<{ viewCount: number }>(`/api/portraits/${first.id}`);
    expect(detail.viewCount).toBe(5);

    // The summary adds all portraits up, per day.
    const summary = await get<Series>('/api/analytics/summary?days=3');
    expect(summary.days).toEqual([
      { day: utcDay(day0), pageViews: 4, arStarts: 3, markersFound: 1, videoPlays: 1 },
      { day: utcDay(new Date(day0.getTime() + DAY_MS)), ...zero },
      { day: utcDay(today), ...zero, pageViews: 2, arStarts: 1 },
    ]);
    expect(summary.totals).toEqual({ pageViews: 6, arStarts: 4, markersFound: 1, videoPlays: 1 });
    const todayOnly = await get<Series>('/api/analytics/summary?days=1');
    expect(todayOnly.totals).toEqual({ ...zero, pageViews: 2, arStarts: 1 });

    // Default: 30 days ending today.
    const month = await get<Series>(`/api/analytics/portraits/${second.id}`);
    expect(month.days).toHaveLength(30);
    expect(month.days.at(-1)?.day).toBe(utcDay(today));
    expect(month.totals).toEqual({ ...zero, pageViews: 1, arStarts: 1 });

    // The dashboard's view figures.
    const dashboard = await get<{ views: { today: number; last7Days: number } }>('/api/dashboard');
    expect(dashboard.views).toEqual({ today: 2, last7Days: 6 });
  });

  it('validates the range and the portrait; needs a login', async () => {
    for (const days of ['0', '367', 'abc', '1.5']) {
      const response = await t.app.inject({
        url: `/api/analytics/summary?days=${days}`,
        headers: bearer(operator),
      });
      expect(response.statusCode, days).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const unknown = await t.app.inject({
      url: `/api/analytics/portraits/${uuidv7()}`,
      headers: bearer(operator),
    });
    expect(unknown.statusCode).toBe(404);
    for (const url of [
      `/api/analytics/portraits/${first.id}`,
      '/api/analytics/summary',
      '/api/dashboard',
    ]) {
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
  });

  it('the dashboard sums up counts, storage, recent orders, jobs and portrait states', async () => {
    const parts = await fixtureParts();
    const dashboard = await get<{
      counts: Record<string, number>;
      storageBytes: number;
      recentOrders: {
        id: string;
        number: string;
        status: string;
        createdAt: string;
        clientName: string;
        portraitId: string;
      }[];
      jobs: Record<string, number>;
      portraits: Record<string, number>;
    }>('/api/dashboard');
    expect(dashboard.counts).toEqual({ clients: 2, portraits: 2, videos: 2, orders: 2 });
    // Originals only: no video has a playable copy yet (no job ran).
    expect(dashboard.storageBytes).toBe(
      2 * (parts.portrait.content.length + parts.video.content.length),
    );
    expect(dashboard.recentOrders).toEqual([
      {
        id: second.orderId,
        number: second.number,
        status: 'processing',
        createdAt: expect.any(String) as string,
        clientName: 'Boris Ivanov',
        portraitId: second.id,
      },
      {
        id: first.orderId,
        number: first.number,
        status: 'processing',
        createdAt: expect.any(String) as string,
        clientName: 'Anna Petrova',
        portraitId: first.id,
      },
    ]);
    expect(dashboard.jobs).toEqual({ queued: 6, running: 0, failed: 0 });
    expect(dashboard.portraits).toEqual({ processing: 2, ready: 0, failed: 0 });

    // A playable copy counts too; the newest five orders only.
    await t.ctx.database.db
      .updateTable('videos')
      .set({ status: 'ready', playableKey: 'videos/x/playable.mp4', sizeBytes: 1000 })
      .where('portraitId', '=', first.id)
      .execute();
    for (let i = 0; i < 4; i++) {
      const response = await postOrder(t, operator, {
        fields: { clientName: `Client ${i}`, clientPhone: `+7 999 777 00 0${i}` },
      });
      expect(response.statusCode).toBe(202);
    }
    const after = await get<{
      counts: Record<string, number>;
      storageBytes: number;
      recentOrders: { clientName: string }[];
    }>('/api/dashboard');
    expect(after.counts).toEqual({ clients: 6, portraits: 6, videos: 6, orders: 6 });
    expect(after.storageBytes).toBe(
      6 * (parts.portrait.content.length + parts.video.content.length) + 1000,
    );
    expect(after.recentOrders.map((o) => o.clientName)).toEqual([
      'Client 3',
      'Client 2',
      'Client 1',
      'Client 0',
      'Boris Ivanov',
    ]);
  });
});
