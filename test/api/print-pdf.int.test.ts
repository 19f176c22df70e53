import jsQRModule from 'jsqr';
import { PDFArray, PDFDocument, PDFName, PDFNumber, type PDFPage } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { makePortraitFixture } from '../fixtures/portrait.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { popplerText, renderPdfPage, type RenderedPage } from '../support/pdf-render.js';
import { markMarkerReady } from '../support/jobs.js';
import { placeOrder, postOrder, storedKeys, fixtureParts } from '../support/studio.js';

// jsqr's CommonJS default export, as test/api/processing.int.test.ts reads it.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const PT_PER_MM = 72 / 25.4;
const DPI = 150;
const px = (mm: number) => (mm / 25.4) * DPI;
/** The fixture's solid border: 60 px of 1200 = 5 mm on a 10×15 print, wider than the bleed. */
const BORDER_PX = 60;

/** A textured photo with a pure red border, so its printed area can be measured in a render. */
async function borderedPhoto(width: number, height: number): Promise<Buffer> {
  const inner = await makePortraitFixture({
    width: width - 2 * BORDER_PX,
    height: height - 2 * BORDER_PX,
    seed: 7,
  });
  return sharp(inner)
    .extend({
      top: BORDER_PX,
      bottom: BORDER_PX,
      left: BORDER_PX,
      right: BORDER_PX,
      background: '#ff0000',
    })
    .jpeg({ quality: 95 })
    .toBuffer();
}

const isRed = ([r, g, b]: [number, number, number]) => r > 200 && g < 70 && b < 70;
const isDark = ([r, g, b]: [number, number, number]) => r < 140 && g < 140 && b < 140;

/** Bounding box of the red pixels of a render. */
function redBox(page: RenderedPage) {
  let [x0, y0, x1, y1] = [page.width, page.height, -1, -1];
  for (let y = 0; y < page.height; y++)
    for (let x = 0; x < page.width; x++)
      if (isRed(page.at(x, y))) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Centres of the runs of dark pixels along a line (the crop marks crossing it). */
function darkRuns(length: number, dark: (i: number) => boolean): number[] {
  const centres: number[] = [];
  let start = -1;
  for (let i = 0; i <= length; i++) {
    const d = i < length && dark(i);
    if (d && start === -1) start = i;
    if (!d && start !== -1) {
      centres.push((start + i - 1) / 2);
      start = -1;
    }
  }
  return centres;
}

/** A page box in mm: [x, y, width, height]. */
function boxMm(page: PDFPage, name: 'TrimBox' | 'BleedBox' | 'MediaBox'): number[] {
  const array = page.node.lookup(PDFName.of(name), PDFArray);
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = [0, 1, 2, 3].map(
    (i) => array.lookup(i, PDFNumber).asNumber() / PT_PER_MM,
  );
  return [x0, y0, x1 - x0, y1 - y0].map((v) => Math.round(v * 100) / 100);
}

describe('GET /api/portraits/{id}/print.pdf', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let tall: { portraitId: string; publicUrl: string };
  let wide: { portraitId: string };
  let pending: { portraitId: string };

  async function orderWith(photo: Buffer, phone: string) {
    const parts = await fixtureParts();
    const response = await postOrder(t, operator, {
      fields: { clientName: 'Анна Петрова', clientPhone: phone },
      files: {
        portrait: { content: photo, filename: 'photo.jpg', contentType: 'image/jpeg' },
        video: parts.video,
      },
    });
    expect(response.statusCode).toBe(202);
    return response.json<{ portrait: { id: string } }>().portrait.id;
  }

  const download = (id: string, query: string, session: LoggedIn | null = operator) =>
    t.app.inject({
      url: `/api/portraits/${id}/print.pdf${query}`,
      headers: session === null ? {} : bearer(session),
    });

  beforeAll(async () => {
    // The job runner is not started: markers are made ready by hand (below) or stay queued.
    t = await createTestApp();
    operator = await t.loginAs('operator');
    const tallPhoto = await borderedPhoto(1200, 1800);
    const tallId = await orderWith(tallPhoto, '+7 901 100 00 01');
    await markMarkerReady(t, tallId, tallPhoto);
    const detail = (
      await t.app.inject({ url: `/api/portraits/${tallId}`, headers: bearer(operator) })
    ).json<PortraitDetail>();
    tall = { portraitId: tallId, publicUrl: detail.publicUrl };
    const widePhoto = await borderedPhoto(1800, 1200);
    wide = { portraitId: await orderWith(widePhoto, '+7 901 100 00 02') };
    await markMarkerReady(t, wide.portraitId, widePhoto);
    pending = await placeOrder(t, operator, {
      clientName: 'Boris',
      clientPhone: '+7 901 100 00 03',
    });
  });
  afterAll(() => t.close());

  it.each([
    ['10x15', '', { widthMm: 100, heightMm: 150 }],
    ['A4', '?format=a4', { widthMm: 198, heightMm: 297 }],
  ])(
    '%s: page = trim + bleed + marks, the photo at exactly the print size, QR card decodes to the public link',
    async (_name, query, trim) => {
      const response = await download(tall.portraitId, query);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="vertex-ar-.+\.pdf"$/,
      );
      expect(response.headers['x-print-size-mm']).toBe(`${trim.widthMm}x${trim.heightMm}`);
      const pdfBytes = response.rawPayload;

      // Boxes: MediaBox = trim + 2 × (3 mm bleed + 10 mm marks), TrimBox/BleedBox inside it.
      const doc = await PDFDocument.load(pdfBytes);
      expect(doc.getPageCount()).toBe(2);
      const [sheet, card] = doc.getPages() as [PDFPage, PDFPage];
      expect(boxMm(sheet, 'MediaBox')).toEqual([0, 0, trim.widthMm + 26, trim.heightMm + 26]);
      expect(boxMm(sheet, 'TrimBox')).toEqual([13, 13, trim.widthMm, trim.heightMm]);
      expect(boxMm(sheet, 'BleedBox')).toEqual([10, 10, trim.widthMm + 6, trim.heightMm + 6]);
      expect(boxMm(card, 'MediaBox')).toEqual([0, 0, 116, 76]);
      expect(boxMm(card, 'TrimBox')).toEqual([13, 13, 90, 50]);
      // pdfinfo agrees on the page size (poppler reads what a RIP reads).
      const info = await popplerText('pdfinfo', ['-f', '1', '-l', '2', '-box'], pdfBytes);
      const size = /Page +1 size: +([\d.]+) x ([\d.]+) pts/.exec(info);
      expect(Number(size?.[1]) / PT_PER_MM).toBeCloseTo(trim.widthMm + 26, 1);
      expect(Number(size?.[2]) / PT_PER_MM).toBeCloseTo(trim.heightMm + 26, 1);

      // Render at 150 dpi and measure. Crop marks: dark runs in the top and left margins.
      const page = await renderPdfPage(pdfBytes, 1, DPI);
      expect(page.width).toBeCloseTo(px(trim.widthMm + 26), -0.5);
      const markRow = Math.round(px(13 - 3 - 2 - 2.5)); // the middle of the upper marks
      const xs = darkRuns(page.width, (x) => isDark(page.at(x, markRow)));
      const markCol = Math.round(px(13 - 3 - 2 - 2.5));
      const ys = darkRuns(page.height, (y) => isDark(page.at(markCol, y)));
      expect(xs).toHaveLength(2);
      expect(ys).toHaveLength(2);
      const [left, right] = xs as [number, number];
      const [top, bottom] = ys as [number, number];
      expect(Math.abs(right - left - px(trim.widthMm))).toBeLessThanOrEqual(3); // 591 px for 10x15
      expect(Math.abs(bottom - top - px(trim.heightMm))).toBeLessThanOrEqual(3); // 886 px
      // The red border covers trim + bleed (mirrored into it): 3 mm beyond the marks each side.
      const red = redBox(page);
      expect(Math.abs(red.width - px(trim.widthMm + 6))).toBeLessThanOrEqual(3);
      expect(Math.abs(red.height - px(trim.heightMm + 6))).toBeLessThanOrEqual(3);
      expect(Math.abs(red.x0 - (left - px(3)))).toBeLessThanOrEqual(2);
      expect(Math.abs(red.y0 - (top - px(3)))).toBeLessThanOrEqual(2);
      // Not cropped, not stretched: inside the trim the border is the photo's 60 of 1200 px.
      const midY = Math.round((top + bottom) / 2);
      let run = 0;
      for (let x = Math.ceil(left) + 2; isRed(page.at(x, midY)); x++) run++;
      expect(Math.abs(run + 2 - px((trim.widthMm * BORDER_PX) / 1200))).toBeLessThanOrEqual(3);

      // The card: jsQR finds the code and it encodes the portrait's public link.
      const cardPage = await renderPdfPage(pdfBytes, 2, DPI);
      expect(cardPage.width).toBeCloseTo(px(116), -0.5);
      const rgba = new Uint8ClampedArray(cardPage.width * cardPage.height * 4);
      for (let i = 0; i < cardPage.width * cardPage.height; i++) {
        rgba.set(cardPage.data.subarray(i * 3, i * 3 + 3), i * 4);
        rgba[i * 4 + 3] = 255;
      }
      const code = jsQR(rgba, cardPage.width, cardPage.height);
      expect(code?.data).toBe(tall.publicUrl);
    },
  );

  it('states the print size and the marker size: same aspect ratio as the printed photo', async () => {
    const response = await download(tall.portraitId, '?format=13x18');
    expect(response.headers['x-print-size-mm']).toBe('120x180'); // 2:3 fitted inside 130×180
    const [mw, mh] = String(response.headers['x-marker-size-mm']).split('x').map(Number) as [
      number,
      number,
    ];
    expect(mw / mh).toBeCloseTo(120 / 180, 2);
  });

  it('turns the format to a landscape photo, and fits a custom size', async () => {
    const landscape = await download(wide.portraitId, '?format=10x15');
    expect(landscape.statusCode).toBe(200);
    expect(landscape.headers['x-print-size-mm']).toBe('150x100');
    const doc = await PDFDocument.load(landscape.rawPayload);
    expect(boxMm(doc.getPage(0), 'TrimBox')).toEqual([13, 13, 150, 100]);

    // 120×80 asked for a 2:3 upright photo: turned to 80×120, which it fills exactly.
    const custom = await download(tall.portraitId, '?format=custom&widthMm=120&heightMm=80');
    expect(custom.statusCode).toBe(200);
    expect(custom.headers['x-print-size-mm']).toBe('80x120');
    expect(custom.headers['content-disposition']).toContain('-80x120.pdf');
  });

  it('embeds the original at full resolution (plus the mirrored bleed), as sRGB', async () => {
    const response = await download(tall.portraitId, '');
    expect(response.headers['x-print-photo-px']).toBe('1200x1800');
    const list = await popplerText('pdfimages', ['-list'], response.rawPayload);
    const rows = list
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/));
    expect(rows).toHaveLength(1); // the QR is vector, not an image
    const [, , type, width, height, color] = rows[0] ?? [];
    expect(type).toBe('image');
    expect(color).toBe('rgb');
    // 3 mm of a 100 mm wide print of 1200 px = 36 px on every side.
    expect([Number(width), Number(height)]).toEqual([1200 + 72, 1800 + 72]);
  });

  it('writes the card in Russian by default and in English when asked', async () => {
    const ru = await popplerText(
      'pdftotext',
      ['-f', '2', '-l', '2'],
      (await download(tall.portraitId, '')).rawPayload,
    );
    expect(ru).toContain('Живой портрет');
    expect(ru).toContain('Отсканируйте QR-код');
    expect(ru.replace(/\s+/g, '')).toContain(tall.publicUrl.replace(/^https?:\/\//, ''));
    const en = await popplerText(
      'pdftotext',
      ['-f', '2', '-l', '2'],
      (await download(tall.portraitId, '?lang=en')).rawPayload,
    );
    expect(en).toContain('Your living portrait');
    expect(en).toContain('Scan the QR code');
    expect(en).not.toContain('Живой');
  });

  it('refuses while the marker is being prepared, or after it failed (409 marker_not_ready)', async () => {
    const keysBefore = await storedKeys(t);
    const response = await download(pending.portraitId, '?format=a5');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      error: { code: 'marker_not_ready', details: { markerStatus: 'processing' } },
    });
    expect(response.json<{ error: { message: string } }>().error.message).toMatch(/being prepared/);
    await t.ctx.database.db
      .updateTable('markers')
      .set({ status: 'failed' })
      .where('portraitId', '=', pending.portraitId)
      .execute();
    const failed = await download(pending.portraitId, '');
    expect(failed.statusCode).toBe(409);
    expect(failed.json()).toMatchObject({
      error: { code: 'marker_not_ready', details: { markerStatus: 'failed' } },
    });
    expect(await storedKeys(t)).toEqual(keysBefore); // nothing written
  });

  it('answers 400 for a bad format or size, 404 for an unknown portrait, 401 without a login', async () => {
    const code = async (query: string, id = tall.portraitId) => {
      const response = await download(id, query);
      return [response.statusCode, response.json<{ error: { code: string } }>().error.code];
    };
    expect(await code('?format=custom')).toEqual([400, 'print_size_invalid']);
    expect(await code('?format=custom&widthMm=20&heightMm=100')).toEqual([
      400,
      'print_size_invalid',
    ]);
    expect(await code('?format=custom&widthMm=100&heightMm=501')).toEqual([
      400,
      'print_size_invalid',
    ]);
    expect(await code('?format=9x13')).toEqual([400, 'validation_failed']);
    expect(await code('?format=a4&lang=de')).toEqual([400, 'validation_failed']);
    expect(await code('', UNKNOWN_ID)).toEqual([404, 'not_found']);
    expect((await download(tall.portraitId, '', null)).statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    }>();
    const op = doc.paths['/api/portraits/{id}/print.pdf']?.get;
    expect(op).toBeDefined();
    expect(op?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['id', 'format', 'widthMm', 'heightMm', 'lang']),
    );
  });
});
