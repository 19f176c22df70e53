import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src/jobs/job-kinds.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { runJobHandler } from '../support/jobs.js';
import { postOrder } from '../support/studio.js';

interface OrderItem {
  id: string;
  number: string;
  status: string;
  createdAt: string;
  client: { id: string; name: string; phone: string };
  portrait: {
    id: string;
    slug: string;
    status: string;
    publicUrl: string;
    thumbnailUrl: string | null;
  };
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

interface Accepted {
  order: { id: string; number: string };
  client: { id: string };
  portrait: { id: string; slug: string };
}

const DAY = 24 * 60 * 60 * 1000;
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const dateOf = (iso: string) => iso.slice(0, 10);

describe('orders API (list and detail)', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let otherOperator: LoggedIn;
  let day0: Accepted;
  let day2: Accepted;
  let day2b: Accepted;
  let day4: Accepted;
  const createdAt: Record<string, string> = {};

  const list = async (query = '') => {
    const response = await t.app.inject({
      url: `/api/orders${query === '' ? '' : `?${query}`}`,
      headers: bearer(operator),
    });
    return { status: response.statusCode, body: response.json<Page<OrderItem>>(), response };
  };
  const numbers = async (query = '') => (await list(query)).body.items.map((o) => o.number);

  async function place(
    user: { username: string; password: string },
    clientName: string,
    clientPhone: string,
  ) {
    // A fresh login: moving the clock by days ends sessions (inactivity timeout).
    const session = await t.login(user.username, user.password);
    const response = await postOrder(t, session, { fields: { clientName, clientPhone } });
    expect(response.statusCode, response.body).toBe(202);
    const body = response.json<Accepted>();
    createdAt[body.order.number] = t.clock.now().toISOString();
    return body;
  }

  beforeAll(async () => {
    // The job runner is not started: the orders stay `processing` unless a test says otherwise.
    t = await createTestApp();
    const first = await t.createUser('operator', 'operator1');
    const second = await t.createUser('operator', 'operator2');
    day0 = await place(first, 'Daria', '+7 902 000 00 01');
    t.clock.advance(2 * DAY);
    day2 = await place(first, 'Egor', '+7 902 000 00 02');
    t.clock.advance(60_000);
    day2b = await place(second, 'Daria', '+7 902 000 00 01');
    t.clock.advance(2 * DAY);
    day4 = await place(first, 'Fedor', '+7 902 000 00 03');
    operator = await t.login(first.username, first.password);
    otherOperator = await t.login(second.username, second.password);
  });
  afterAll(() => t.close());

  it('lists orders newest first with client and portrait', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 4, limit: 20, offset: 0 });
    expect(body.items.map((o) => o.number)).toEqual([
      'VA-000004',
      'VA-000003',
      'VA-000002',
      'VA-000001',
    ]);
    expect(body.items[1]).toEqual({
      id: day2b.order.id,
      number: 'VA-000003',
      status: 'processing',
      createdAt: createdAt['VA-000003'],
      client: { id: day0.client.id, name: 'Daria', phone: '+79020000001' },
      portrait: {
        id: day2b.portrait.id,
        slug: day2b.portrait.slug,
        status: 'processing',
        publicUrl: `${t.config.publicBaseUrl}/p/${day2b.portrait.slug}`,
        thumbnailUrl: null,
      },
    });
  });

  it('pages with limit and offset in a stable order', async () => {
    const pages: string[] = [];
    for (let offset = 0; offset < 4; offset += 3) {
      const { body } = await list(`limit=3&offset=${offset}`);
      expect(body).toMatchObject({ total: 4, limit: 3, offset });
      pages.push(...body.items.map((o) => o.number));
    }
    expect(pages).toEqual(await numbers());
    expect((await list('offset=4')).body).toMatchObject({ items: [], total: 4 });
  });

  it("filters by the portrait's status, with a thumbnail once the images exist", async () => {
    const db = t.ctx.database.db;
    await runJobHandler(t, JOB_KINDS.portraitImages.kind, { portraitId: day2.portrait.id });
    await db
      .updateTable('portraits')
      .set({ status: 'ready' })
      .where('id', '=', day2.portrait.id)
      .execute();
    await db
      .updateTable('portraits')
      .set({ status: 'failed' })
      .where('id', '=', day4.portrait.id)
      .execute();
    try {
      const ready = await list('status=ready');
      expect(ready.body.total).toBe(1);
      expect(ready.body.items[0]).toMatchObject({
        number: 'VA-000002',
        status: 'ready',
        portrait: {
          status: 'ready',
          thumbnailUrl: `/media/portraits/${day2.portrait.id}/thumb-320.webp`,
        },
      });
      expect(await numbers('status=failed')).toEqual(['VA-000004']);
      expect(await numbers('status=processing')).toEqual(['VA-000003', 'VA-000001']);
      expect(await numbers('status=processing&limit=1&offset=1')).toEqual(['VA-000001']);
    } finally {
      await db
        .updateTable('portraits')
        .set({ status: 'processing' })
        .where('id', 'in', [day2.portrait.id, day4.portrait.id])
        .execute();
    }
  });

  it('filters by creation date: ISO dates cover whole days, date-times are exact', async () => {
    const first = createdAt['VA-000001'] ?? '';
    const second = createdAt['VA-000002'] ?? '';
    const fourth = createdAt['VA-000004'] ?? '';
    // Whole UTC days (both ends inclusive).
    expect(await numbers(`from=${dateOf(second)}`)).toEqual([
      'VA-000004',
      'VA-000003',
      'VA-000002',
    ]);
    expect(await numbers(`to=${dateOf(second)}`)).toEqual(
      dateOf(createdAt['VA-000003'] ?? '') === dateOf(second)
        ? ['VA-000003', 'VA-000002', 'VA-000001']
        : ['VA-000002', 'VA-000001'],
    );
    expect(await numbers(`from=${dateOf(first)}&to=${dateOf(first)}`)).toEqual(['VA-000001']);
    expect(await numbers(`from=${dateOf(fourth)}&to=${dateOf(fourth)}`)).toEqual(['VA-000004']);
    // Exact instants (inclusive), also with an offset.
    expect(
      await numbers(`from=${encodeURIComponent(second)}&to=${encodeURIComponent(second)}`),
    ).toEqual(['VA-000002']);
    const justAfter = new Date(Date.parse(second) + 1).toISOString();
    expect(await numbers(`from=${encodeURIComponent(justAfter)}`)).toEqual([
      'VA-000004',
      'VA-000003',
    ]);
    // The same instants written in UTC+3.
    const inMoscow = (ms: number) =>
      new Date(ms + 3 * 3600_000).toISOString().replace('Z', '+03:00');
    expect(await numbers(`from=${encodeURIComponent(inMoscow(Date.parse(fourth)))}`)).toEqual([
      'VA-000004',
    ]);
    expect(await numbers(`from=${encodeURIComponent(inMoscow(Date.parse(fourth) + 1))}`)).toEqual(
      [],
    );
    const { body } = await list(`from=${dateOf(second)}&status=processing&limit=2`);
    expect(body).toMatchObject({ total: 3, limit: 2 });
    // An empty range.
    expect((await list(`from=${dateOf(fourth)}&to=${dateOf(first)}`)).body).toMatchObject({
      items: [],
      total: 0,
    });
  });

  it('rejects bad filters and paging with 400 validation_failed', async () => {
    for (const query of [
      'status=done',
      'from=yesterday',
      'from=2026-13-01',
      'to=2026-02-30',
      'to=2026-01-01T10:00:00',
      'limit=0',
      'limit=101',
      'offset=-1',
    ]) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('answers GET /api/orders/{id} with the order and who took it', async () => {
    const response = await t.app.inject({
      url: `/api/orders/${day2b.order.id}`,
      headers: bearer(operator),
    });
    expect(response.statusCode).toBe(200);
    const list2 = await list();
    expect(response.json()).toEqual({
      ...list2.body.items.find((o) => o.id === day2b.order.id),
      createdBy: 'operator2',
      notes: null,
    });
    // The user is gone: the order stays, without a name.
    await t.ctx.database.db.deleteFrom('users').where('id', '=', otherOperator.userId).execute();
    const orphan = await t.app.inject({
      url: `/api/orders/${day2b.order.id}`,
      headers: bearer(operator),
    });
    expect(orphan.json()).toMatchObject({ number: 'VA-000003', createdBy: null });
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    const unknown = await t.app.inject({
      url: `/api/orders/${UNKNOWN_ID}`,
      headers: bearer(operator),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const malformed = await t.app.inject({
      url: '/api/orders/VA-000001',
      headers: bearer(operator),
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('answers 401 without a login', async () => {
    for (const url of ['/api/orders', `/api/orders/${day0.order.id}`]) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('drops the orders of a deleted client from the list', async () => {
    const admin = await t.loginAs('admin');
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/clients/${day4.client.id}`,
      headers: bearer(admin),
    });
    expect(response.statusCode).toBe(204);
    expect(await numbers()).toEqual(['VA-000003', 'VA-000002', 'VA-000001']);
    const gone = await t.app.inject({
      url: `/api/orders/${day4.order.id}`,
      headers: bearer(operator),
    });
    expect(gone.statusCode).toBe(404);
  });
});
