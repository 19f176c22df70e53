import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  audioOnlyFixture,
  decompressionBombPng,
  htmlNamedMp4,
  pngWithAlpha,
  svgImage,
  textFileNamedJpg,
  tinyImage,
  truncatedJpeg,
  videoFixture,
} from '../fixtures/media.js';
import { makeFlatImage } from '../fixtures/portrait.js';
import { createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import type { FilePart } from '../support/multipart.js';
import { domainRowCounts, fixtureParts, postOrder, storedKeys } from '../support/studio.js';

const file = async (p: string, contentType: string): Promise<FilePart> => ({
  content: await readFile(p),
  filename: path.basename(p),
  contentType,
});

describe('POST /api/orders (intake)', () => {
  let t: TestApp;
  let operator: LoggedIn;

  beforeAll(async () => {
    // Jobs are not started here: this file checks intake only (processing has its own test).
    t = await createTestApp({ UPLOAD_MAX_IMAGE_MB: '20' });
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  const uploadsLeft = async () =>
    (await readdir(path.join(t.config.dataDir, 'tmp', 'uploads')).catch(() => [])).length;

  it('accepts the fixture pair with 202 and creates client, portrait, active video, order and jobs', async () => {
    const response = await postOrder(t, operator);
    expect(response.statusCode, response.body).toBe(202);
    const body = response.json<{
      order: { id: string; number: string; status: string };
      client: { id: string; phone: string; created: boolean };
      portrait: { id: string; slug: string; status: string; publicUrl: string };
      video: { id: string; status: string; active: boolean };
    }>();
    expect(body.order).toMatchObject({ number: 'VA-000001', status: 'processing' });
    expect(body.client).toMatchObject({
      name: 'Anna Petrova',
      phone: '+79991234567',
      created: true,
    });
    expect(body.portrait.slug).toMatch(/^[2-9a-zA-Z]{10}$/);
    expect(body.portrait.publicUrl).toBe(`${t.config.publicBaseUrl}/p/${body.portrait.slug}`);
    expect(body.video).toMatchObject({ status: 'processing', active: true });

    const keys = await storedKeys(t);
    expect(keys.sort()).toEqual(
      [`portraits/${body.portrait.id}/original.jpg`, `videos/${body.video.id}/original.mp4`].sort(),
    );
    const jobs = await t.ctx.database.db.selectFrom('jobs').select(['kind', 'status']).execute();
    expect(jobs.map((j) => j.kind).sort()).toEqual([
      'marker.generate',
      'portrait.images',
      'video.process',
    ]);
    expect(jobs.every((j) => j.status === 'queued')).toBe(true);
    expect(await uploadsLeft()).toBe(0);

    // The same phone typed differently is the same client; numbers keep counting.
    const again = await postOrder(t, operator, {
      fields: { clientName: 'Anna P.', clientPhone: '+7 999 123 45 67' },
    });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({
      order: { number: 'VA-000002' },
      client: { id: body.client.id, created: false, name: 'Anna Petrova' },
    });
  });

  it('requires a login before reading any of the upload', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: 'garbage',
    });
    expect(response.statusCode).toBe(401);
  });

  describe('rejects bad input with a code and leaves no row and no file', () => {
    let before: Record<string, number>;
    let keysBefore: string[];
    beforeAll(async () => {
      before = await domainRowCounts(t);
      keysBefore = await storedKeys(t);
    });

    const cases: [string, () => Promise<Record<string, FilePart>>, number, string][] = [
      [
        'a text file named .jpg',
        async () => ({ portrait: await file(await textFileNamedJpg(), 'image/jpeg') }),
        415,
        'unsupported_media',
      ],
      [
        'an SVG with a script',
        async () => ({ portrait: await file(await svgImage(), 'image/jpeg') }),
        415,
        'unsupported_media',
      ],
      [
        'a truncated JPEG',
        async () => ({ portrait: await file(await truncatedJpeg(), 'image/jpeg') }),
        422,
        'image_corrupt',
      ],
      [
        'a decompression-bomb PNG',
        async () => ({ portrait: await file(await decompressionBombPng(), 'image/png') }),
        413,
        'image_too_large',
      ],
      [
        'a tiny photo',
        async () => ({ portrait: await file(await tinyImage(), 'image/jpeg') }),
        422,
        'image_too_small',
      ],
      [
        'an audio-only file as the video',
        async () => ({ video: await file(await audioOnlyFixture(), 'video/mp4') }),
        422,
        'video_no_video_stream',
      ],
      [
        'an HTML page named .mp4',
        async () => ({ video: await file(await htmlNamedMp4(), 'video/mp4') }),
        415,
        'unsupported_media',
      ],
    ];

    for (const [name, replace, status, code] of cases) {
      it(name, async () => {
        const files = { ...(await fixtureParts()), ...(await replace()) };
        const response = await postOrder(t, operator, { files });
        expect(response.statusCode, response.body).toBe(status);
        expect(response.json()).toMatchObject({ error: { code } });
        expect(await domainRowCounts(t)).toEqual(before);
        expect(await storedKeys(t)).toEqual(keysBefore);
        expect(await uploadsLeft()).toBe(0);
      });
    }

    it('an image over the size limit (checked while streaming)', async () => {
      const big: FilePart = {
        content: Buffer.concat([
          await readFile(await pngWithAlpha()),
          Buffer.alloc(21 * 1024 * 1024),
        ]),
        filename: 'huge.png',
        contentType: 'image/png',
      };
      const response = await postOrder(t, operator, {
        files: { ...(await fixtureParts()), portrait: big },
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({
        error: { code: 'too_large', details: { field: 'portrait' } },
      });
      expect(await domainRowCounts(t)).toEqual(before);
      expect(await uploadsLeft()).toBe(0);
    });

    it('missing fields, a bad phone, a missing file, an unexpected field', async () => {
      const parts = await fixtureParts();
      const attempts: { fields?: Record<string, string>; files?: Record<string, FilePart> }[] = [
        { fields: { clientPhone: '+79990000000' } },
        { fields: { clientName: 'X', clientPhone: 'call me' } },
        { fields: { clientName: 'X', clientPhone: '+79990000000', clientEmail: 'nope' } },
        { files: { portrait: parts.portrait } },
        { files: { ...parts, extra: parts.portrait } },
      ];
      for (const attempt of attempts) {
        const response = await postOrder(t, operator, attempt);
        expect(response.statusCode, JSON.stringify(attempt.fields)).toBe(400);
        expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
      }
      expect(await domainRowCounts(t)).toEqual(before);
      expect(await storedKeys(t)).toEqual(keysBefore);
      expect(await uploadsLeft()).toBe(0);
    });

    it('a JSON body instead of multipart', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/orders',
        headers: { authorization: `Bearer ${operator.accessToken}` },
        payload: { clientName: 'x' },
      });
      expect(response.statusCode).toBe(415);
      expect(await domainRowCounts(t)).toEqual(before);
    });
  });

  it('keeps a flat image and a transcodable video acceptable at intake (judged later)', async () => {
    const flat: FilePart = {
      content: await makeFlatImage(),
      filename: 'flat.jpg',
      contentType: 'image/jpeg',
    };
    const response = await postOrder(t, operator, {
      fields: { clientName: 'Flat', clientPhone: '+1 202 555 0120' },
      files: { portrait: flat, video: await file(await videoFixture(), 'video/mp4') },
    });
    expect(response.statusCode, response.body).toBe(202);
  });
});
