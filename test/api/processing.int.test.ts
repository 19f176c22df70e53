import { readFile } from 'node:fs/promises';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFset, parseFset3, parseIset } from '../../src/infra/markers/nft-format.js';
import { markerKeys } from '../../src/modules/portraits/portrait-keys.js';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { webmFixture } from '../fixtures/media.js';
import { makeFlatImage } from '../fixtures/portrait.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { fixtureParts, postOrder } from '../support/studio.js';

// jsqr is CommonJS: its default export arrives as the module object's `default` in types only.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * The whole pipeline on real media with the real job runner: upload → images, NFT marker
 * (generated, validated, self-tested) and phone-playable video → `ready`.
 */
describe('order processing', () => {
  let t: TestApp;
  let operator: LoggedIn;

  beforeAll(async () => {
    t = await createTestApp({ JOB_POLL_MS: '100' });
    t.ctx.jobs.start();
    operator = await t.loginAs('operator');
  });
  afterAll(() => t.close());

  async function waitForPortrait(id: string, timeoutMs = 240_000): Promise<PortraitDetail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await t.app.inject({
        url: `/api/portraits/${id}`,
        headers: bearer(operator),
      });
      expect(response.statusCode).toBe(200);
      const detail = response.json<PortraitDetail>();
      if (detail.status !== 'processing') return detail;
      if (Date.now() > deadline) throw new Error(`still processing: ${response.body}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it(
    'turns the fixture pair into a ready portrait with a working marker and playable video',
    { timeout: 300_000 },
    async () => {
      const accepted = await postOrder(t, operator);
      expect(accepted.statusCode, accepted.body).toBe(202);
      const { portrait, video } = accepted.json<{
        portrait: { id: string; publicUrl: string };
        video: { id: string };
      }>();

      const detail = await waitForPortrait(portrait.id);
      expect(detail.status, JSON.stringify(detail)).toBe('ready');
      const marker = detail.marker;
      expect(marker).toMatchObject({ status: 'ready', version: 1, selfTest: { found: true } });
      expect(marker?.selfTest.cornerErrorPx).toBeLessThan(5);
      expect(marker?.trackingPoints).toBeGreaterThanOrEqual(20);
      expect(marker?.freakPoints).toBeGreaterThanOrEqual(50);
      expect(marker?.quality.score).toBeGreaterThan(0);
      // Physical size follows the portrait's aspect ratio (mm = px / dpi × 25.4).
      const ratio = (marker?.widthMm ?? 0) / (marker?.heightMm ?? 1);
      expect(ratio).toBeCloseTo(detail.width / detail.height, 2);

      // The stored marker files are real ARToolKit NFT files.
      const file = async (type: 'iset' | 'fset' | 'fset3') =>
        readAll((await t.ctx.storage.get(markerKeys.file(portrait.id, 1, type))).body);
      const iset = parseIset(await file('iset'));
      expect(iset.dpi).toBeCloseTo(marker?.dpi ?? 0, 1);
      expect(parseFset(await file('fset')).scales.length).toBeGreaterThan(0);
      expect(parseFset3(await file('fset3')).points).toBe(marker?.freakPoints);

      // The video is served phone-ready, with Range support and a poster.
      expect(detail.activeVideo).toMatchObject({ id: video.id, status: 'ready' });
      const head = await t.app.inject({
        url: `/media/videos/${video.id}/video.mp4`,
        headers: { range: 'bytes=0-99' },
      });
      expect(head.statusCode).toBe(206);
      expect(head.headers['content-range']).toMatch(/^bytes 0-99\/\d+$/);
      expect(head.rawPayload.subarray(4, 8).toString('latin1')).toBe('ftyp');
      const poster = await t.app.inject({ url: `/media/videos/${video.id}/poster.jpg` });
      expect(poster.statusCode).toBe(200);
      expect((await sharp(poster.rawPayload).metadata()).format).toBe('jpeg');

      // Display copy and thumbnails exist.
      const stored: string[] = [];
      for await (const item of t.ctx.storage.list(`portraits/${portrait.id}/`))
        stored.push(item.key.split('/').pop() ?? '');
      expect(stored).toEqual(
        expect.arrayContaining(['display.jpg', 'display.webp', 'thumb-320.webp', 'thumb-640.jpg']),
      );

      // The QR code reads back as the public link.
      const qr = await t.app.inject({
        url: `/api/portraits/${portrait.id}/qr.png`,
        headers: bearer(operator),
      });
      expect(qr.statusCode).toBe(200);
      const { data, info } = await sharp(qr.rawPayload)
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe(
        portrait.publicUrl,
      );
      const svg = await t.app.inject({
        url: `/api/portraits/${portrait.id}/qr.svg`,
        headers: bearer(operator),
      });
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      expect(svg.body).toContain('<svg');

      const jobs = await t.ctx.database.db.selectFrom('jobs').select(['kind', 'status']).execute();
      expect(jobs.every((j) => j.status === 'done')).toBe(true);
    },
  );

  it(
    'fails a featureless photo with a clear reason and advice, never a broken marker',
    { timeout: 300_000 },
    async () => {
      const parts = await fixtureParts();
      const accepted = await postOrder(t, operator, {
        fields: { clientName: 'Flat Wall', clientPhone: '+44 20 7946 0000' },
        files: {
          ...parts,
          portrait: {
            content: await makeFlatImage(),
            filename: 'flat.jpg',
            contentType: 'image/jpeg',
          },
        },
      });
      expect(accepted.statusCode).toBe(202);
      const { portrait } = accepted.json<{ portrait: { id: string } }>();
      const detail = await waitForPortrait(portrait.id);
      expect(detail.status).toBe('failed');
      expect(detail.error).toBeTruthy();
      expect(detail.marker).toMatchObject({ status: 'failed' });
      expect(detail.marker?.errorCode).toBeTruthy();
      expect(detail.marker?.quality.advice.length).toBeGreaterThan(0);
      const files: string[] = [];
      for await (const item of t.ctx.storage.list(`markers/${portrait.id}/`)) files.push(item.key);
      expect(files).toEqual([]);
    },
  );

  it('transcodes a WebM upload into an H.264 MP4', { timeout: 300_000 }, async () => {
    const parts = await fixtureParts();
    const webm = {
      content: await readFile(await webmFixture()),
      filename: 'clip.webm',
      contentType: 'video/webm',
    };
    const accepted = await postOrder(t, operator, {
      fields: { clientName: 'Web M', clientPhone: '+1 202 555 0130' },
      files: { ...parts, video: webm },
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const { video } = accepted.json<{ video: { id: string } }>();
    const deadline = Date.now() + 240_000;
    let row;
    do {
      await new Promise((resolve) => setTimeout(resolve, 500));
      row = await t.ctx.database.db
        .selectFrom('videos')
        .selectAll()
        .where('id', '=', video.id)
        .executeTakeFirstOrThrow();
    } while (row.status === 'processing' && Date.now() < deadline);
    expect(row).toMatchObject({ status: 'ready', transcoded: 1 });
    const mp4 = await t.app.inject({ url: `/media/videos/${video.id}/video.mp4` });
    expect(mp4.statusCode).toBe(200);
    expect(mp4.rawPayload.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });
});
