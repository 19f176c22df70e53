import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src/jobs/job-kinds.js';
import { markerKeys, videoKeys } from '../../src/modules/portraits/portrait-keys.js';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { jobByKey, runJobHandler } from '../support/jobs.js';
import { placeOrder, storedKeys, type OrderIds } from '../support/studio.js';

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

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

const order = (t: TestApp, session: LoggedIn, clientName: string, clientPhone: string) =>
  placeOrder(t, session, { clientName, clientPhone });

describe('portraits API', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let admin: LoggedIn;
  let a1: OrderIds;
  let b1: OrderIds;
  let a2: OrderIds;
  let c1: OrderIds;

  // The type argument only names the JSON body's shape for the test.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  const get = async <T>(url: string, session: LoggedIn = operator) => {
    const response = await t.app.inject({ url, headers: bearer(session) });
    return { status: response.statusCode, body: response.json<T>(), response };
  };
  const ids = async (url: string) =>
    (await get<Page<PortraitSummary>>(url)).body.items.map((p) => p.id);
  const setStatus = (id: string, status: 'processing' | 'ready' | 'failed') =>
    t.ctx.database.db.updateTable('portraits').set({ status }).where('id', '=', id).execute();

  beforeAll(async () => {
    // The job runner is not started: data is made without processing it.
    t = await createTestApp();
    operator = await t.loginAs('operator');
    admin = await t.loginAs('admin');
    a1 = await order(t, operator, 'Alla', '+7 901 000 00 01');
    t.clock.advance(1000);
    b1 = await order(t, operator, 'Boris', '+7 901 000 00 02');
    t.clock.advance(1000);
    a2 = await order(t, operator, 'Alla', '+7 901 000 00 01');
    t.clock.advance(1000);
    c1 = await order(t, operator, 'Celia', '+7 901 000 00 03');
  });
  afterAll(() => t.close());

  describe('GET /api/portraits', () => {
    it('lists portraits newest first with client name, links and counts', async () => {
      const { status, body } = await get<Page<PortraitSummary>>('/api/portraits');
      expect(status).toBe(200);
      expect(body).toMatchObject({ total: 4, limit: 20, offset: 0 });
      expect(body.items.map((p) => p.id)).toEqual([
        c1.portraitId,
        a2.portraitId,
        b1.portraitId,
        a1.portraitId,
      ]);
      expect(body.items[3]).toEqual({
        id: a1.portraitId,
        slug: a1.slug,
        clientId: a1.clientId,
        clientName: 'Alla',
        status: 'processing',
        publicUrl: `${t.config.publicBaseUrl}/p/${a1.slug}`,
        thumbnailUrl: null,
        viewCount: 0,
        createdAt: expect.any(String) as unknown,
      });
    });

    it('filters by client and by status, with totals', async () => {
      expect(await ids(`/api/portraits?clientId=${a1.clientId}`)).toEqual([
        a2.portraitId,
        a1.portraitId,
      ]);
      expect(await ids(`/api/portraits?clientId=${UNKNOWN_ID}`)).toEqual([]);
      await setStatus(b1.portraitId, 'failed');
      await setStatus(c1.portraitId, 'ready');
      try {
        expect(await ids('/api/portraits?status=failed')).toEqual([b1.portraitId]);
        expect(await ids('/api/portraits?status=ready')).toEqual([c1.portraitId]);
        const processing = await get<Page<PortraitSummary>>('/api/portraits?status=processing');
        expect(processing.body.total).toBe(2);
        expect(
          await ids(`/api/portraits?status=processing&clientId=${a1.clientId}&limit=1&offset=1`),
        ).toEqual([a1.portraitId]);
      } finally {
        await setStatus(b1.portraitId, 'processing');
        await setStatus(c1.portraitId, 'processing');
      }
    });

    it('pages with a stable order, also for portraits created at the same instant', async () => {
      // Same created_at for two more portraits: the id breaks the tie.
      const local = await createTestApp();
      try {
        const session = await local.loginAs('operator');
        const made: string[] = [];
        for (let i = 0; i < 3; i++) {
          made.push((await order(local, session, `Twin ${i}`, `+1 202 555 020${i}`)).portraitId);
        }
        const all = await local.app.inject({ url: '/api/portraits', headers: bearer(session) });
        const items = all.json<Page<PortraitSummary>>().items.map((p) => p.id);
        expect(items).toEqual([...made].sort().reverse());
        const paged: string[] = [];
        for (let offset = 0; offset < 3; offset++) {
          const page = await local.app.inject({
            url: `/api/portraits?limit=1&offset=${offset}`,
            headers: bearer(session),
          });
          expect(page.json<Page<PortraitSummary>>()).toMatchObject({ total: 3, limit: 1, offset });
          paged.push(...page.json<Page<PortraitSummary>>().items.map((p) => p.id));
        }
        expect(paged).toEqual(items);
      } finally {
        await local.close();
      }
      const second = await get<Page<PortraitSummary>>('/api/portraits?limit=2&offset=2');
      expect(second.body.items.map((p) => p.id)).toEqual([b1.portraitId, a1.portraitId]);
    });

    it('rejects bad filters and paging with 400 validation_failed', async () => {
      for (const query of [
        'status=done',
        'clientId=42',
        'limit=0',
        'limit=101',
        'offset=-5',
        'limit=ten',
      ]) {
        const { status, body } = await get<{ error: { code: string } }>(`/api/portraits?${query}`);
        expect(status, query).toBe(400);
        expect(body.error.code).toBe('validation_failed');
      }
    });
  });

  describe('thumbnails', () => {
    it('has no thumbnail URL until the images exist, then serves them as immutable files', async () => {
      const url = `/media/portraits/${a1.portraitId}/thumb-320.webp`;
      expect((await t.app.inject({ url })).statusCode).toBe(404);

      await runJobHandler(t, JOB_KINDS.portraitImages.kind, { portraitId: a1.portraitId });
      const list = await get<Page<PortraitSummary>>(`/api/portraits?clientId=${a1.clientId}`);
      expect(list.body.items.find((p) => p.id === a1.portraitId)?.thumbnailUrl).toBe(url);
      expect(list.body.items.find((p) => p.id === a2.portraitId)?.thumbnailUrl).toBeNull();

      const webp = await t.app.inject({ url });
      expect(webp.statusCode).toBe(200);
      expect(webp.headers['content-type']).toBe('image/webp');
      expect(webp.headers['cache-control']).toContain('immutable');
      const meta = await sharp(webp.rawPayload).metadata();
      expect(meta.format).toBe('webp');
      expect(Math.max(meta.width, meta.height)).toBe(320);

      const jpeg = await t.app.inject({ url: `/media/portraits/${a1.portraitId}/thumb-640.jpg` });
      expect(jpeg.statusCode).toBe(200);
      expect(jpeg.headers['content-type']).toBe('image/jpeg');
      const jpegMeta = await sharp(jpeg.rawPayload).metadata();
      expect(Math.max(jpegMeta.width, jpegMeta.height)).toBe(640);

      const etag = webp.headers.etag;
      expect(etag).toBeTruthy();
      const again = await t.app.inject({
        url,
        headers: { 'if-none-match': String(etag) },
      });
      expect(again.statusCode).toBe(304);
    });

    it('refuses other sizes and formats, and unknown portraits', async () => {
      for (const path of ['thumb-100.webp', 'thumb-320.png', 'thumb-320.webp.exe']) {
        const response = await t.app.inject({ url: `/media/portraits/${a1.portraitId}/${path}` });
        expect([400, 404], path).toContain(response.statusCode);
      }
      const unknown = await t.app.inject({ url: `/media/portraits/${UNKNOWN_ID}/thumb-320.webp` });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });

  describe('POST /api/portraits/{id}/marker/regenerate', () => {
    const regenerate = (id: string, session: LoggedIn | null = operator) =>
      t.app.inject({
        method: 'POST',
        url: `/api/portraits/${id}/marker/regenerate`,
        headers: session === null ? {} : bearer(session),
      });
    const markers = (portraitId: string) =>
      t.ctx.database.db
        .selectFrom('markers')
        .select(['version', 'status'])
        .where('portraitId', '=', portraitId)
        .orderBy('version')
        .execute();

    it('refuses while the current marker is still being generated (409 marker_in_progress)', async () => {
      const response = await regenerate(b1.portraitId);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'marker_in_progress' } });
      expect(await markers(b1.portraitId)).toEqual([{ version: 1, status: 'processing' }]);
    });

    it('starts a new version: new marker row, job queued, portrait processing again', async () => {
      const { portraitId, videoId } = a1; // its images are ready (thumbnail test)
      const db = t.ctx.database.db;
      // Make the portrait ready: marker v1 and the video done.
      await db
        .updateTable('markers')
        .set({ status: 'ready' })
        .where('portraitId', '=', portraitId)
        .execute();
      await db.updateTable('videos').set({ status: 'ready' }).where('id', '=', videoId).execute();
      await t.ctx.services.portraitsService.refreshStatus(portraitId);
      expect((await get<PortraitDetail>(`/api/portraits/${portraitId}`)).body.status).toBe('ready');
      const oldFile = markerKeys.file(portraitId, 1, 'iset');
      await t.ctx.storage.put(oldFile, Buffer.from('v1'));

      const response = await regenerate(portraitId);
      expect(response.statusCode, response.body).toBe(202);
      const detail = response.json<PortraitDetail>();
      expect(detail).toMatchObject({
        id: portraitId,
        status: 'processing',
        marker: { version: 2, status: 'processing' },
      });
      expect(await markers(portraitId)).toEqual([
        { version: 1, status: 'ready' },
        { version: 2, status: 'processing' },
      ]);
      const row = await db
        .selectFrom('portraits')
        .select(['markerVersion', 'status'])
        .where('id', '=', portraitId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ markerVersion: 2, status: 'processing' });
      expect(await jobByKey(t, `marker.generate:${portraitId}:2`)).toEqual({
        kind: 'marker.generate',
        status: 'queued',
        payload: { portraitId, version: 2 },
      });
      // The old version's files stay until a cleanup removes them.
      expect(await t.ctx.storage.exists(oldFile)).toBe(true);
      const audit = await db
        .selectFrom('auditLog')
        .select(['action', 'details'])
        .where('targetId', '=', portraitId)
        .execute();
      expect(audit).toContainEqual({
        action: 'portrait.marker.regenerate',
        details: JSON.stringify({ version: 2 }),
      });

      // The new version is now in progress: a second request is refused.
      const again = await regenerate(portraitId);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'marker_in_progress' } });

      // Once it failed, it can be tried again.
      await db
        .updateTable('markers')
        .set({ status: 'failed', error: 'too few features' })
        .where('portraitId', '=', portraitId)
        .where('version', '=', 2)
        .execute();
      await t.ctx.services.portraitsService.refreshStatus(portraitId);
      expect((await get<PortraitDetail>(`/api/portraits/${portraitId}`)).body.status).toBe(
        'failed',
      );
      const retry = await regenerate(portraitId);
      expect(retry.statusCode).toBe(202);
      expect(retry.json<PortraitDetail>()).toMatchObject({
        status: 'processing',
        marker: { version: 3, status: 'processing' },
      });
      expect(await jobByKey(t, `marker.generate:${portraitId}:3`)).toMatchObject({
        status: 'queued',
      });
    });

    it('answers 401 without a login, 404 for an unknown portrait, 400 for a malformed id', async () => {
      const anonymous = await regenerate(a2.portraitId, null);
      expect(anonymous.statusCode).toBe(401);
      const unknown = await regenerate(UNKNOWN_ID);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
      const malformed = await regenerate('x');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ error: { code: 'validation_failed' } });
    });
  });

  describe('DELETE /api/portraits/{id}', () => {
    const remove = (id: string, session: LoggedIn | null = admin) =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/portraits/${id}`,
        headers: session === null ? {} : bearer(session),
      });

    it('answers 401 without a login and 403 for an operator (admin only)', async () => {
      expect((await remove(a1.portraitId, null)).statusCode).toBe(401);
      const asOperator = await remove(a1.portraitId, operator);
      expect(asOperator.statusCode).toBe(403);
      expect(asOperator.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect((await get(`/api/portraits/${a1.portraitId}`)).status).toBe(200);
    });

    it('deletes the portrait, its videos, markers and order; the cleanup job removes its files', async () => {
      const { portraitId, videoId, slug, clientId } = a1;
      await t.ctx.storage.put(videoKeys.poster(videoId), Buffer.from('poster'));
      // A second video of the portrait (as the videos API adds them).
      const db = t.ctx.database.db;
      const now = t.clock.now().toISOString();
      const extraVideo = '01900000-0000-7000-8000-0000000000aa';
      await db
        .insertInto('videos')
        .values({
          id: extraVideo,
          portraitId,
          status: 'ready',
          error: null,
          active: null,
          originalKey: videoKeys.original(extraVideo, 'mp4'),
          originalFormat: 'mp4',
          originalSize: 1,
          playableKey: null,
          posterKey: null,
          durationSeconds: 1,
          width: null,
          height: null,
          sizeBytes: null,
          transcoded: null,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      await t.ctx.storage.put(videoKeys.original(extraVideo, 'mp4'), Buffer.from('x'));
      const mine = (key: string) =>
        [portraitId, videoId, extraVideo].some((id) => key.includes(id));
      const before = await storedKeys(t);
      expect(before.filter(mine).length).toBeGreaterThanOrEqual(10);
      const others = before.filter((key) => !mine(key));
      expect(others.some((key) => key.includes(a2.portraitId))).toBe(true);

      const response = await remove(portraitId);
      expect(response.statusCode, response.body).toBe(204);
      expect(response.body).toBe('');

      expect((await get(`/api/portraits/${portraitId}`)).status).toBe(404);
      expect((await t.app.inject({ url: `/p/${slug}` })).statusCode).toBe(404);
      expect(await ids(`/api/portraits?clientId=${clientId}`)).toEqual([a2.portraitId]);
      for (const table of ['markers', 'videos', 'orders'] as const) {
        const left = await db
          .selectFrom(table)
          .select('id')
          .where('portraitId', '=', portraitId)
          .execute();
        expect(left, table).toEqual([]);
      }
      // The client stays.
      const client = await get<{ portraitCount: number }>(`/api/clients/${clientId}`);
      expect(client.body.portraitCount).toBe(1);

      const job = await jobByKey(t, `storage.cleanup:${portraitId}:1`);
      expect((job?.payload.prefixes as string[]).sort()).toEqual(
        [
          `portraits/${portraitId}/`,
          `markers/${portraitId}/`,
          `videos/${videoId}/`,
          `videos/${extraVideo}/`,
        ].sort(),
      );
      await runJobHandler(t, 'storage.cleanup', job?.payload ?? {});
      const after = await storedKeys(t);
      expect(after.filter(mine)).toEqual([]);
      expect(after.sort()).toEqual(others.sort());
    });

    it('answers 404 for an unknown or already deleted portrait', async () => {
      for (const id of [a1.portraitId, UNKNOWN_ID]) {
        const response = await remove(id);
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
      }
    });
  });

  it('answers 401 without a login on the list', async () => {
    const response = await t.app.inject({ url: '/api/portraits' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('documents every new route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const expected: [string, string][] = [
      ['/api/portraits', 'get'],
      ['/api/portraits/{id}', 'delete'],
      ['/api/portraits/{id}/marker/regenerate', 'post'],
      ['/api/clients', 'get'],
      ['/api/clients/{id}', 'get'],
      ['/api/clients/{id}', 'patch'],
      ['/api/clients/{id}', 'delete'],
      ['/api/orders', 'get'],
      ['/api/orders/{id}', 'get'],
      ['/media/portraits/{id}/thumb-{size}.{format}', 'get'],
    ];
    for (const [path, method] of expected) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
