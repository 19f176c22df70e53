import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src/jobs/job-kinds.js';
import { markerKeys, videoKeys } from '../../src/modules/portraits/portrait-keys.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { jobByKey, runJobHandler } from '../support/jobs.js';
import { domainRowCounts, storedKeys, placeOrder, type OrderIds } from '../support/studio.js';

interface ClientItem {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  createdAt: string;
  portraitCount: number;
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

interface PortraitSummary {
  id: string;
  slug: string;
  clientId: string;
  clientName: string;
  status: string;
  publicUrl: string;
  thumbnailUrl: string | null;
  viewCount: number;
  createdAt: string;
}

type ClientDetail = ClientItem & { updatedAt: string; portraits: PortraitSummary[] };

const order = (
  t: TestApp,
  session: LoggedIn,
  clientName: string,
  clientPhone: string,
  clientEmail?: string,
) =>
  placeOrder(t, session, {
    clientName,
    clientPhone,
    ...(clientEmail === undefined ? {} : { clientEmail }),
  });

/** Newest first, ties broken by id: the order every list promises. */
const byCreatedDescIdDesc = (a: ClientItem, b: ClientItem) =>
  a.createdAt === b.createdAt
    ? b.id.localeCompare(a.id)
    : Date.parse(b.createdAt) - Date.parse(a.createdAt);

async function auditActions(t: TestApp, targetId: string): Promise<string[]> {
  const rows = await t.ctx.database.db
    .selectFrom('auditLog')
    .select('action')
    .where('targetId', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('clients API', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let admin: LoggedIn;
  let anna: OrderIds;
  let annaSecond: OrderIds;
  let boris: OrderIds;
  let petr: OrderIds;
  let pct: OrderIds;

  // The type argument only names the JSON body's shape for the test.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  const get = <T>(url: string, session: LoggedIn = operator) =>
    t.app
      .inject({ url, headers: bearer(session) })
      .then((r) => ({ status: r.statusCode, body: r.json<T>(), raw: r }));

  beforeAll(async () => {
    // The job runner is not started: these tests create data without processing it.
    t = await createTestApp();
    operator = await t.loginAs('operator');
    admin = await t.loginAs('admin');
    anna = await order(t, operator, 'Анна Петрова', '+7 (999) 123-45-67', 'anna@example.com');
    t.clock.advance(60_000);
    boris = await order(t, operator, 'Boris Ivanov', '+7 912 555 00 11');
    t.clock.advance(60_000);
    annaSecond = await order(t, operator, 'Anna P.', '+79991234567'); // same client, 2nd portrait
    t.clock.advance(60_000);
    petr = await order(t, operator, 'Пётр Ёлкин', '8 (495) 765-43-21');
    t.clock.advance(60_000);
    pct = await order(t, operator, '100% Studio_Test', '+44 20 7946 0958');
  });
  afterAll(() => t.close());

  describe('GET /api/clients', () => {
    it('lists clients newest first with their portrait counts and the default page', async () => {
      const { status, body } = await get<Page<ClientItem>>('/api/clients');
      expect(status).toBe(200);
      expect(body).toMatchObject({ total: 4, limit: 20, offset: 0 });
      expect(body.items.map((c) => c.id)).toEqual([
        pct.clientId,
        petr.clientId,
        boris.clientId,
        anna.clientId,
      ]);
      expect(body.items.find((c) => c.id === anna.clientId)).toEqual({
        id: anna.clientId,
        name: 'Анна Петрова',
        phone: '+79991234567',
        email: 'anna@example.com',
        createdAt: expect.any(String) as unknown,
        portraitCount: 2,
      });
      expect(body.items.find((c) => c.id === boris.clientId)?.portraitCount).toBe(1);
      expect(annaSecond.clientId).toBe(anna.clientId);
    });

    it('pages with limit and offset, keeping the total', async () => {
      const first = await get<Page<ClientItem>>('/api/clients?limit=3');
      const second = await get<Page<ClientItem>>('/api/clients?limit=3&offset=3');
      expect(first.body).toMatchObject({ total: 4, limit: 3, offset: 0 });
      expect(second.body).toMatchObject({ total: 4, limit: 3, offset: 3 });
      expect(first.body.items).toHaveLength(3);
      expect(second.body.items.map((c) => c.id)).toEqual([anna.clientId]);
      const beyond = await get<Page<ClientItem>>('/api/clients?offset=10');
      expect(beyond.body).toMatchObject({ items: [], total: 4 });
    });

    it('keeps a stable order (created_at desc, id desc) for clients created at the same instant', async () => {
      const local = await createTestApp();
      try {
        const session = await local.loginAs('operator');
        // The test clock does not move: every client has the same created_at.
        for (let i = 0; i < 5; i++) await order(local, session, `Twin ${i}`, `+1 202 555 010${i}`);
        const all = await local.app.inject({ url: '/api/clients', headers: bearer(session) });
        const items = all.json<Page<ClientItem>>().items;
        expect(new Set(items.map((c) => c.createdAt)).size).toBe(1);
        expect(items).toEqual([...items].sort(byCreatedDescIdDesc));
        const paged: string[] = [];
        for (let offset = 0; offset < 5; offset += 2) {
          const page = await local.app.inject({
            url: `/api/clients?limit=2&offset=${offset}`,
            headers: bearer(session),
          });
          paged.push(...page.json<Page<ClientItem>>().items.map((c) => c.id));
        }
        expect(paged).toEqual(items.map((c) => c.id));
      } finally {
        await local.close();
      }
    });

    it('searches by name, any case (Cyrillic too, ё as е), partially', async () => {
      const ids = async (q: string) =>
        (await get<Page<ClientItem>>(`/api/clients?q=${encodeURIComponent(q)}`)).body.items.map(
          (c) => c.id,
        );
      expect(await ids('анна')).toEqual([anna.clientId]);
      expect(await ids('ПЕТРОВ')).toEqual([anna.clientId]);
      expect(await ids('boris')).toEqual([boris.clientId]);
      expect(await ids('IVAN')).toEqual([boris.clientId]);
      expect(await ids('петр')).toEqual([petr.clientId, anna.clientId]);
      expect(await ids('елкин')).toEqual([petr.clientId]);
      expect(await ids('nobody')).toEqual([]);
      const none = await get<Page<ClientItem>>('/api/clients?q=nobody');
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });

    it('treats % and _ in the search as plain characters', async () => {
      const ids = async (q: string) =>
        (await get<Page<ClientItem>>(`/api/clients?q=${encodeURIComponent(q)}`)).body.items.map(
          (c) => c.id,
        );
      expect(await ids('%')).toEqual([pct.clientId]);
      expect(await ids('o_T')).toEqual([pct.clientId]);
      // As wildcards these would match "studio_test" and "ivanov".
      expect(await ids('o%t')).toEqual([]);
      expect(await ids('n_v')).toEqual([]);
    });

    it('searches by phone digits whatever the formatting of the query', async () => {
      const search = async (q: string) =>
        (await get<Page<ClientItem>>(`/api/clients?q=${encodeURIComponent(q)}`)).body;
      expect((await search('999 123')).items.map((c) => c.id)).toEqual([anna.clientId]);
      expect((await search('(999)-123-45')).items.map((c) => c.id)).toEqual([anna.clientId]);
      expect((await search('+7 912')).items.map((c) => c.id)).toEqual([boris.clientId]);
      expect((await search('765-43')).items.map((c) => c.id)).toEqual([petr.clientId]);
      const many = await search('9');
      expect(many.total).toBe(4);
      const paged = await get<Page<ClientItem>>(`/api/clients?q=9&limit=1&offset=1`);
      expect(paged.body).toMatchObject({ total: 4, limit: 1, offset: 1 });
      expect(paged.body.items.map((c) => c.id)).toEqual([petr.clientId]);
    });

    it('rejects a bad limit, offset or query with 400 validation_failed', async () => {
      for (const query of [
        'limit=0',
        'limit=101',
        'limit=abc',
        'offset=-1',
        'limit=2.5',
        `q=${'x'.repeat(101)}`,
      ]) {
        const { status, body } = await get<{ error: { code: string } }>(`/api/clients?${query}`);
        expect(status, query).toBe(400);
        expect(body.error.code).toBe('validation_failed');
      }
    });
  });

  describe('GET /api/clients/{id}', () => {
    it('returns the client with their portraits, newest first', async () => {
      const { status, body } = await get<ClientDetail>(`/api/clients/${anna.clientId}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: anna.clientId,
        name: 'Анна Петрова',
        phone: '+79991234567',
        portraitCount: 2,
      });
      expect(body.portraits.map((p) => p.id)).toEqual([annaSecond.portraitId, anna.portraitId]);
      expect(body.portraits[1]).toEqual({
        id: anna.portraitId,
        slug: anna.slug,
        clientId: anna.clientId,
        clientName: 'Анна Петрова',
        status: 'processing',
        publicUrl: `${t.config.publicBaseUrl}/p/${anna.slug}`,
        thumbnailUrl: null,
        viewCount: 0,
        createdAt: expect.any(String) as unknown,
      });
    });

    it('answers 404 not_found for an unknown id and 400 for a malformed one', async () => {
      const missing = await get<{ error: { code: string } }>(
        '/api/clients/01900000-0000-7000-8000-000000000000',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      const malformed = await get<{ error: { code: string } }>('/api/clients/not-a-uuid');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('validation_failed');
    });
  });

  describe('PATCH /api/clients/{id}', () => {
    const patch = (id: string, payload: unknown, session: LoggedIn = operator) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/clients/${id}`,
        headers: bearer(session),
        payload: payload as Record<string, unknown>,
      });

    it('edits name, phone (normalised) and e-mail, and records it in the audit log', async () => {
      const response = await patch(boris.clientId, {
        name: '  Борис Иванов ',
        phone: '8 (912) 555-00-12',
        email: 'Boris@Example.com',
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<ClientDetail>()).toMatchObject({
        id: boris.clientId,
        name: 'Борис Иванов',
        phone: '+79125550012',
        email: 'boris@example.com',
        portraitCount: 1,
      });
      expect(response.json<ClientDetail>().portraits[0]?.clientName).toBe('Борис Иванов');
      // Search follows the new name and phone.
      const found = await get<Page<ClientItem>>(`/api/clients?q=${encodeURIComponent('борис')}`);
      expect(found.body.items.map((c) => c.id)).toEqual([boris.clientId]);
      const byPhone = await get<Page<ClientItem>>('/api/clients?q=555-00-12');
      expect(byPhone.body.items.map((c) => c.id)).toEqual([boris.clientId]);
      expect(await auditActions(t, boris.clientId)).toEqual(['client.update']);
    });

    it('clears the e-mail with null and changes nothing else', async () => {
      const response = await patch(anna.clientId, { email: null });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<ClientDetail>()).toMatchObject({
        name: 'Анна Петрова',
        phone: '+79991234567',
        email: null,
      });
    });

    it('refuses a phone another client has with 409 phone_taken', async () => {
      const response = await patch(boris.clientId, { phone: '+7 999 123 45 67' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'phone_taken' } });
      // Its own phone, typed differently, is not a conflict.
      const own = await patch(anna.clientId, { phone: '+7 (999) 123 45 67' });
      expect(own.statusCode).toBe(200);
    });

    it('rejects invalid fields with 400 validation_failed and stores nothing', async () => {
      const before = await get<ClientDetail>(`/api/clients/${petr.clientId}`);
      const attempts: unknown[] = [
        { phone: 'call me' },
        { phone: '12345' },
        { name: '   ' },
        { name: '' },
        { email: 'not-an-email' },
        {},
        { nickname: 'x' },
        { name: 'x'.repeat(201) },
        { name: { first: 'x' } },
        { email: 'a@example.com', phone: '' },
      ];
      for (const attempt of attempts) {
        const response = await patch(petr.clientId, attempt);
        expect(response.statusCode, JSON.stringify(attempt)).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
      }
      const after = await get<ClientDetail>(`/api/clients/${petr.clientId}`);
      expect(after.body).toEqual(before.body);
    });

    it('answers 404 for an unknown client', async () => {
      const response = await patch('01900000-0000-7000-8000-000000000000', { name: 'X' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });

  describe('authentication and roles', () => {
    it('answers 401 without a login on every route', async () => {
      const id = anna.clientId;
      for (const [method, url] of [
        ['GET', '/api/clients'],
        ['GET', `/api/clients/${id}`],
        ['PATCH', `/api/clients/${id}`],
        ['DELETE', `/api/clients/${id}`],
      ] as const) {
        const response = await t.app.inject({
          method,
          url,
          ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}),
        });
        expect(response.statusCode, `${method} ${url}`).toBe(401);
        expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      }
    });

    it('lets only an admin delete a client (403 for an operator)', async () => {
      const response = await t.app.inject({
        method: 'DELETE',
        url: `/api/clients/${anna.clientId}`,
        headers: bearer(operator),
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect((await get(`/api/clients/${anna.clientId}`)).status).toBe(200);
    });
  });

  describe('DELETE /api/clients/{id}', () => {
    it('deletes the client with everything of theirs; the cleanup job removes every file', async () => {
      const { portraitId, videoId } = anna;
      // Files as processing would have left them: derived images, two marker versions, the
      // playable video; and another client's files, which must survive.
      await runJobHandler(t, JOB_KINDS.portraitImages.kind, { portraitId });
      for (const version of [1, 2]) {
        await t.ctx.storage.put(markerKeys.file(portraitId, version, 'iset'), Buffer.from('m'));
      }
      await t.ctx.storage.put(videoKeys.playable(videoId), Buffer.from('v'));
      await t.ctx.storage.put(markerKeys.file(boris.portraitId, 1, 'fset'), Buffer.from('b'));
      const theirs = (key: string) =>
        [anna.portraitId, anna.videoId, annaSecond.portraitId, annaSecond.videoId].some((id) =>
          key.includes(id),
        );
      const before = await storedKeys(t);
      expect(before.filter(theirs).length).toBeGreaterThanOrEqual(10);
      const othersBefore = before.filter((key) => !theirs(key));
      const pageBefore = await t.app.inject({ url: `/p/${anna.slug}` });
      expect(pageBefore.statusCode).toBe(200);
      const rowsBefore = await domainRowCounts(t);

      const response = await t.app.inject({
        method: 'DELETE',
        url: `/api/clients/${anna.clientId}`,
        headers: bearer(admin),
      });
      expect(response.statusCode, response.body).toBe(204);
      expect(response.body).toBe('');

      // The rows are gone at once: API 404, public pages 404.
      expect((await get(`/api/clients/${anna.clientId}`)).status).toBe(404);
      expect((await get(`/api/portraits/${anna.portraitId}`)).status).toBe(404);
      for (const slug of [anna.slug, annaSecond.slug]) {
        expect((await t.app.inject({ url: `/p/${slug}` })).statusCode).toBe(404);
      }
      const list = await get<Page<ClientItem>>('/api/clients');
      expect(list.body.items.map((c) => c.id)).not.toContain(anna.clientId);
      const rowsAfter = await domainRowCounts(t);
      const removed = { clients: 1, portraits: 2, videos: 2, markers: 2, orders: 2 };
      for (const [table, count] of Object.entries(removed)) {
        expect(rowsAfter[table], table).toBe((rowsBefore[table] ?? 0) - count);
      }

      // The cleanup job was queued with every prefix of theirs; it deletes them, only them.
      const job = await jobByKey(t, `storage.cleanup:${anna.clientId}:1`);
      expect(job).toMatchObject({ kind: 'storage.cleanup', status: 'queued' });
      expect((job?.payload.prefixes as string[]).sort()).toEqual(
        [
          `portraits/${anna.portraitId}/`,
          `markers/${anna.portraitId}/`,
          `videos/${anna.videoId}/`,
          `portraits/${annaSecond.portraitId}/`,
          `markers/${annaSecond.portraitId}/`,
          `videos/${annaSecond.videoId}/`,
        ].sort(),
      );
      await runJobHandler(t, 'storage.cleanup', job?.payload ?? {});
      const after = await storedKeys(t);
      expect(after.filter(theirs)).toEqual([]);
      expect(after.sort()).toEqual(othersBefore.sort());
      // Idempotent: a second run changes nothing.
      await runJobHandler(t, 'storage.cleanup', job?.payload ?? {});
      expect((await storedKeys(t)).sort()).toEqual(othersBefore.sort());

      expect(await auditActions(t, anna.clientId)).toContain('client.delete');
    });

    it('answers 404 for an unknown or already deleted client', async () => {
      for (const id of [anna.clientId, '01900000-0000-7000-8000-000000000000']) {
        const response = await t.app.inject({
          method: 'DELETE',
          url: `/api/clients/${id}`,
          headers: bearer(admin),
        });
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
      }
    });
  });
});

describe('client deletion with the job runner', () => {
  it('leaves no stored file once the runner has run the cleanup job', async () => {
    const t = await createTestApp({ JOB_POLL_MS: '100' });
    try {
      const operator = await t.loginAs('operator');
      const admin = await t.loginAs('admin');
      const ids = await order(t, operator, 'Vera', '+7 900 000 11 22');
      await runJobHandler(t, JOB_KINDS.portraitImages.kind, { portraitId: ids.portraitId });
      await t.ctx.storage.put(markerKeys.file(ids.portraitId, 1, 'fset3'), Buffer.from('m'));
      expect((await storedKeys(t)).length).toBeGreaterThan(5);

      const response = await t.app.inject({
        method: 'DELETE',
        url: `/api/clients/${ids.clientId}`,
        headers: bearer(admin),
      });
      expect(response.statusCode).toBe(204);
      expect((await t.app.inject({ url: `/p/${ids.slug}` })).statusCode).toBe(404);

      // Only the deleted portrait's jobs are queued: they find nothing to do and end at once.
      t.ctx.jobs.start();
      const deadline = Date.now() + 20_000;
      for (;;) {
        const job = await jobByKey(t, `storage.cleanup:${ids.clientId}:1`);
        if (job?.status === 'done') break;
        if (Date.now() > deadline) throw new Error(`cleanup not done: ${JSON.stringify(job)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await storedKeys(t)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('runs again while a processing job of a deleted entity is still running', async () => {
    const t = await createTestApp();
    try {
      const operator = await t.loginAs('operator');
      const admin = await t.loginAs('admin');
      const ids = await order(t, operator, 'Gleb', '+7 900 000 33 44');
      const response = await t.app.inject({
        method: 'DELETE',
        url: `/api/clients/${ids.clientId}`,
        headers: bearer(admin),
      });
      expect(response.statusCode).toBe(204);
      const job = await jobByKey(t, `storage.cleanup:${ids.clientId}:1`);
      const payload = job?.payload ?? {};
      // The marker job was already running when the rows went: it may still write files.
      const markerKey = JOB_KINDS.marker.job(ids.portraitId, 1).key;
      await t.ctx.database.db
        .updateTable('jobs')
        .set({ status: 'running' })
        .where('key', '=', markerKey)
        .execute();
      await expect(runJobHandler(t, 'storage.cleanup', payload)).rejects.toThrow(/still running/);
      expect(await storedKeys(t)).toEqual([]);
      // Its late output is removed by the next attempt, once it has finished.
      await t.ctx.storage.put(markerKeys.file(ids.portraitId, 1, 'iset'), Buffer.from('late'));
      await t.ctx.database.db
        .updateTable('jobs')
        .set({ status: 'done' })
        .where('key', '=', markerKey)
        .execute();
      await runJobHandler(t, 'storage.cleanup', payload);
      expect(await storedKeys(t)).toEqual([]);
      // A payload naming anything but an entity's folder is refused.
      for (const prefixes of [[''], ['portraits/'], ['../x/'], ['backups/x/'], 'portraits/x/']) {
        await expect(runJobHandler(t, 'storage.cleanup', { prefixes })).rejects.toThrow();
      }
    } finally {
      await t.close();
    }
  });
});
