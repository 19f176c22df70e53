import { readFile } from 'node:fs/promises';
import { PDFArray, PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src/jobs/job-kinds.js';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { markMarkerReady, runJobHandler } from '../support/jobs.js';
import { fixturePortrait, placeOrder } from '../support/studio.js';

const PT_PER_MM = 72 / 25.4;

/**
 * The admin print page in Chromium against the real server: the PDF options in Russian (size,
 * card language, the download itself), a custom size refused in the page, and a portrait whose
 * marker is still being made: the download disabled with the reason and a placeholder, not a
 * broken image (English, phone size).
 */
describe('admin print page in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let operator: { username: string; password: string };
  let readyId: string;
  let pendingId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    operator = await t.createUser('operator');
    const session = await t.login(operator.username, operator.password);
    // The job runner is not started: the ready portrait gets its images by running that one
    // job, and its marker is marked ready with the size the marker job records.
    const ready = await placeOrder(t, session, {
      clientName: 'Анна',
      clientPhone: '+7 901 200 00 01',
    });
    readyId = ready.portraitId;
    await runJobHandler(t, JOB_KINDS.portraitImages.kind, { portraitId: readyId });
    await markMarkerReady(t, readyId, await fixturePortrait());
    pendingId = (
      await placeOrder(t, session, { clientName: 'Boris', clientPhone: '+7 901 200 00 02' })
    ).portraitId;
    baseUrl = await t.listen();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const open = (id: string, locale: string, phone = false) =>
    openAdminPage(browser, `${baseUrl}/admin/portraits/${id}/print`, operator, {
      locale,
      phone,
      pageErrors,
    });

  const trimMm = async (path: string) => {
    const doc = await PDFDocument.load(await readFile(path));
    const box = doc.getPage(0).node.lookup(PDFName.of('TrimBox'), PDFArray);
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = [0, 1, 2, 3].map(
      (i) => box.lookup(i, PDFNumber).asNumber() / PT_PER_MM,
    );
    return [Math.round(x1 - x0), Math.round(y1 - y0)];
  };

  const download = async (page: Page) => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /PDF/ }).click(),
    ]);
    const path = await file.path();
    return { path, name: file.suggestedFilename() };
  };

  it('Russian: chooses a size and the card language, downloads the PDF of that size', async () => {
    const { context, page } = await open(readyId, 'ru-RU');
    await page.getByRole('heading', { level: 2, name: 'PDF для печати' }).waitFor();
    // The fixture is 1500×2000 (3:4): 10×15 prints it 100 × 133,3 mm, A4 210 × 280 mm.
    expect(await page.getByTestId('print-size').textContent()).toContain('100 × 133,3 мм');
    const first = await download(page);
    expect(first.name).toMatch(/^vertex-ar-.+-10x15\.pdf$/);
    expect(await trimMm(first.path)).toEqual([100, 133]);

    await page.getByLabel('Размер отпечатка').selectOption('a4');
    expect(await page.getByTestId('print-size').textContent()).toContain('210 × 280 мм');
    await page.getByLabel('Язык карточки с QR-кодом').selectOption('en');
    const link = page.getByRole('link', { name: 'Скачать PDF' });
    expect(await link.getAttribute('href')).toMatch(/format=a4&lang=en$/);
    const second = await download(page);
    expect(await trimMm(second.path)).toEqual([210, 280]);

    // A custom size outside 50–500 mm is refused in the page: no link to a 400.
    await page.getByLabel('Размер отпечатка').selectOption('custom');
    await page.getByLabel('Ширина, мм').fill('20');
    await page.getByRole('alert').filter({ hasText: 'от 50 до 500 мм' }).waitFor();
    expect(await page.getByRole('button', { name: 'Скачать PDF' }).isDisabled()).toBe(true);
    await page.getByLabel('Ширина, мм').fill('90');
    expect(await page.getByRole('link', { name: 'Скачать PDF' }).getAttribute('href')).toMatch(
      /format=custom&lang=en&widthMm=90&heightMm=150$/,
    );
    await screenshot(page, 'print-pdf-ru');
    await context.close();
  });

  it('English phone: downloads the PDF of the chosen size', async () => {
    const { context, page } = await open(readyId, 'en-US', true);
    await page.getByRole('heading', { level: 2, name: 'Print-ready PDF' }).waitFor();
    await page.getByLabel('Print size').selectOption('13x18');
    expect(await page.getByTestId('print-size').textContent()).toContain('130 × 173.3 mm');
    const pdf = await download(page);
    expect(pdf.name).toMatch(/^vertex-ar-.+-13x18\.pdf$/);
    expect(await trimMm(pdf.path)).toEqual([130, 173]);
    await screenshot(page, 'print-pdf-en-phone');
    await context.close();
  });

  it('English phone: while the marker is made, the PDF is disabled with the reason, no broken image', async () => {
    const { context, page } = await open(pendingId, 'en-US', true);
    await page.getByRole('heading', { level: 2, name: 'Print-ready PDF' }).waitFor();
    const button = page.getByRole('button', { name: 'Download PDF' });
    expect(await button.isDisabled()).toBe(true);
    const reason = await button.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${reason ?? ''}"]`).textContent()).toContain(
      'available once the AR marker is ready',
    );
    expect(await page.getByRole('link', { name: 'Download PDF' }).count()).toBe(0);
    // Its display copy does not exist yet: a placeholder in the portrait's place.
    await page.getByRole('img', { name: 'The photo is being prepared…' }).waitFor();
    // A string: the test's TypeScript has no DOM types.
    const broken = await page.evaluate<number>(
      "[...document.querySelectorAll('img')].filter((i) => i.complete && i.naturalWidth === 0).length",
    );
    expect(broken).toBe(0);
    await screenshot(page, 'print-pdf-pending-phone');
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
