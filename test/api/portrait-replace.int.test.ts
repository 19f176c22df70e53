import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { makeFlatImage, makePortraitFixture } from '../fixtures/portrait.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { jobByKey } from '../support/jobs.js';
import { multipartBody, type FilePart } from '../support/multipart.js';
import { placeOrder, storedKeys, type OrderIds } from '../support/studio.js';

/**
 * `PUT /api/portraits/{id}/image` with the real job runner: a portrait gets a new photo, keeps
 * its slug, link and QR code, gets a new marker version, and the previous photo's files go once
 * the new marker is ready. A refused file changes nothing.
 */
describe('replacing a portrait photo', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let order: OrderIds;
  let newPhoto: Buffer;

  const jpeg = (content: Buffer, filename = 'new.jpg'): FilePart => ({
    content,
    filename,
    contentType: 'image/jpeg',
  });
  const replace = (portraitId: string, files: Record<string, FilePart>) => {
    const body = multipartBody({}, files);
    return t.app.inject({
      method: 'PUT',
      url: `/api/portraits/${portraitId}/image`,
      headers: { ...body.headers, ...bearer(operator) },
      payload: body.payload,
    });
  };
  const detail = async (id: string): Promise<PortraitDetail> => {
    const response = await t.app.inject({ url: `/api/portraits/${id}`, headers: bearer(operator) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PortraitDetail>();
  };
  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 480_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  const settled = (id: string) =>
    waitFor('the portrait to settle', async () => {
      const d = await detail(id);
      return d.status === 'processing' ? undefined : d;
    });
  const keysOf = async (id: string) =>
    (await storedKeys(t)).filter((key) => key.includes(`/${id}/`)).sort();
  const qrSvg = async (id: string) =>
    (await t.app.inject({ url: `/api/portraits/${id}/qr.svg`, headers: bearer(operator) })).body;
  const auditEntries = (id: string) =>
    t.ctx.database.db
      .selectFrom('auditLog')
      .select(['action', 'actorUserId', 'details'])
      .where('targetId', '=', id)
      .where('action', '=', 'portrait.image.replace')
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    t = await createTestApp({ JOB_POLL_MS: '100' });
    t.ctx.jobs.start();
    operator = await t.loginAs('operator');
    // Another feature-rich picture, 4:5 instead of the fixture's 3:4.
    newPhoto = await makePortraitFixture({ seed: 5, width: 1600, height: 2000 });
    order = await placeOrder(t, operator, { clientName: 'Ira', clientPhone: '+7 900 111-22-33' });
  }, 60_000);
  afterAll(() => t.close());

  it(
    'takes a new photo, keeps slug, link and QR, and cleans up the old files once the new marker is ready',
    { timeout: 1_200_000 },
    async () => {
      const first = await settled(order.portraitId);
      expect(first).toMatchObject({ status: 'ready', imageVersion: 1, marker: { version: 1 } });
      const qrBefore = await qrSvg(order.portraitId);
      const keysBefore = await keysOf(order.portraitId);
      expect(keysBefore).toContain(`markers/${order.portraitId}/1/marker.fset`);
      expect(keysBefore).toContain(`portraits/${order.portraitId}/original.jpg`);
      expect(keysBefore).toContain(`portraits/${order.portraitId}/display.jpg`);

      // Two replacements at once (a double click, two operators): one wins, the other is told
      // a marker is in progress, and its uploaded file is not left behind.
      const flat = await makeFlatImage();
      const [a, b] = await Promise.all([
        replace(order.portraitId, { portrait: jpeg(flat) }),
        replace(order.portraitId, { portrait: jpeg(flat) }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
      const loser = a.statusCode === 409 ? a : b;
      expect(loser.json()).toMatchObject({ error: { code: 'marker_in_progress' } });
      const accepted = (a.statusCode === 202 ? a : b).json<PortraitDetail>();
      expect(accepted).toMatchObject({
        slug: order.slug,
        publicUrl: first.publicUrl,
        status: 'processing',
        imageVersion: 2,
        marker: { version: 2, status: 'processing' },
      });
      const originals = (await keysOf(order.portraitId)).filter((key) =>
        key.startsWith(`portraits/${order.portraitId}/2/original-`),
      );
      expect(originals).toHaveLength(1);

      // A featureless photo cannot make a marker: the portrait shows the failure, nothing of
      // the previous photo is deleted, and it can get another photo.
      const failed = await settled(order.portraitId);
      expect(failed.status).toBe('failed');
      expect(failed.marker).toMatchObject({ version: 2, status: 'failed' });
      expect(await t.ctx.services.viewerLookup.findBySlug(order.slug)).toEqual({
        status: 'failed',
      });
      expect(await keysOf(order.portraitId)).toEqual(expect.arrayContaining(keysBefore));

      const response = await replace(order.portraitId, { portrait: jpeg(newPhoto, 'reprint.jpg') });
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json<PortraitDetail>()).toMatchObject({
        slug: order.slug,
        publicUrl: first.publicUrl,
        imageVersion: 3,
        marker: { version: 3, status: 'processing' },
      });
      // While the new marker is made, the public page says the portrait is being prepared and
      // the previous marker files are still there.
      expect(await t.ctx.services.viewerLookup.findBySlug(order.slug)).toEqual({
        status: 'processing',
      });
      expect(await keysOf(order.portraitId)).toContain(`markers/${order.portraitId}/1/marker.fset`);

      const done = await settled(order.portraitId);
      expect(done.status, JSON.stringify(done)).toBe('ready');
      expect(done).toMatchObject({
        slug: order.slug,
        publicUrl: first.publicUrl,
        imageVersion: 3,
        width: 1600,
        height: 2000,
        marker: { version: 3, status: 'ready', selfTest: { found: true } },
      });
      expect(await qrSvg(order.portraitId)).toBe(qrBefore);
      const page = await t.ctx.services.viewerLookup.findBySlug(order.slug);
      expect(page).toMatchObject({
        status: 'ready',
        marker: { portraitId: order.portraitId, version: 3 },
        posterUrl: `/media/portraits/${order.portraitId}/display.jpg?v=3`,
      });

      // The cleanup queued with the new marker removes every earlier photo and marker version.
      await waitFor('the cleanup', async () => {
        const job = await jobByKey(t, `storage.cleanup:${order.portraitId}:3`);
        return job?.status === 'done' ? job : undefined;
      });
      const keysAfter = await keysOf(order.portraitId);
      expect(keysAfter.filter((key) => keysBefore.includes(key))).toEqual([]);
      expect(keysAfter.filter((key) => !key.includes(`/${order.portraitId}/3/`))).toEqual([]);
      expect(keysAfter).toEqual(
        expect.arrayContaining([
          `markers/${order.portraitId}/3/marker.iset`,
          `markers/${order.portraitId}/3/marker.fset`,
          `markers/${order.portraitId}/3/marker.fset3`,
          `portraits/${order.portraitId}/3/display.jpg`,
          `portraits/${order.portraitId}/3/thumb-320.webp`,
        ]),
      );

      // The new photo is what the media URLs serve: the versioned URL as immutable, the plain
      // one (cached by browsers before the replacement) only with revalidation.
      const versioned = await t.app.inject({ url: page?.status === 'ready' ? page.posterUrl : '' });
      expect(versioned.statusCode).toBe(200);
      expect(versioned.headers['cache-control']).toContain('immutable');
      const meta = await sharp(versioned.rawPayload).metadata();
      expect(meta.width / meta.height).toBeCloseTo(0.8, 2);
      const plain = await t.app.inject({ url: `/media/portraits/${order.portraitId}/display.jpg` });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['cache-control']).toBe('no-cache');
      expect(plain.headers.etag).toBe(`"d-${order.portraitId}-3-jpg"`);

      const entries = await auditEntries(order.portraitId);
      expect(entries.map((entry) => entry.actorUserId)).toEqual([operator.userId, operator.userId]);
      expect(JSON.parse(entries[1]?.details ?? '{}')).toMatchObject({
        imageVersion: 3,
        markerVersion: 3,
        previousStatus: 'failed',
      });
    },
  );

  it('refuses a file that is no usable photo and changes nothing', async () => {
    const before = await detail(order.portraitId);
    expect(before.status).toBe('ready');
    const keys = await keysOf(order.portraitId);
    const audited = (await auditEntries(order.portraitId)).length;
    const tiny = await sharp({
      create: { width: 200, height: 150, channels: 3, background: '#884422' },
    })
      .png()
      .toBuffer();
    const cases: [string, Record<string, FilePart>, number, string][] = [
      [
        'text named .jpg',
        {
          portrait: {
            content: Buffer.from('hello '.repeat(200)),
            filename: 'a.jpg',
            contentType: 'image/jpeg',
          },
        },
        415,
        'unsupported_media',
      ],
      [
        'too small',
        { portrait: { content: tiny, filename: 'a.png', contentType: 'image/png' } },
        422,
        'image_too_small',
      ],
      ['another field', { photo: jpeg(newPhoto) }, 400, 'validation_failed'],
      ['no file', {}, 400, 'validation_failed'],
    ];
    for (const [name, files, status, code] of cases) {
      const response = await replace(order.portraitId, files);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(status);
      expect(response.json(), name).toMatchObject({ error: { code } });
    }
    expect(await detail(order.portraitId)).toEqual(before);
    expect(await keysOf(order.portraitId)).toEqual(keys);
    expect(await auditEntries(order.portraitId)).toHaveLength(audited);
  });

  it('answers 404 for a portrait that does not exist, and stores nothing', async () => {
    const before = (await storedKeys(t)).sort();
    for (const id of ['0192d3a4-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const response = await replace(id, { portrait: jpeg(newPhoto) });
      expect(response.statusCode, id).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await storedKeys(t)).sort()).toEqual(before);
  });

  it('needs a signed-in user', async () => {
    const body = multipartBody({}, { portrait: jpeg(newPhoto) });
    const response = await t.app.inject({
      method: 'PUT',
      url: `/api/portraits/${order.portraitId}/image`,
      headers: body.headers,
      payload: body.payload,
    });
    expect(response.statusCode).toBe(401);
  });
});
