import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { seedDayStats } from '../support/seed-analytics.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

const DAY_MS = 86_400_000;

/**
 * Issue 12, analytics over time, in Chromium against the real server: the dashboard's period
 * presets and day/week bars change the chart, its value axis has whole-number ticks only, the
 * viewer funnel shows its rates, and the most viewed portraits are listed by client and date
 * with a link; in Russian at desktop size and in English at 375×812. Figures are seeded through
 * the analytics repository.
 */
describe('analytics over time on the dashboard', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let user: { username: string; password: string };
  let anna: SeededOrder;
  let boris: SeededOrder;
  const pageErrors: string[] = [];
  /** The UTC day `ago` days before the test clock's today. */
  let day: (ago: number) => string = () => '';

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    user = await t.createUser('operator');
    anna = await seedOrder(t, { clientName: 'Анна Петрова', phone: '+79123456789' });
    t.clock.advance(1000);
    boris = await seedOrder(t, { clientName: 'Борис Ёлкин', phone: '+79995550011' });
    day = (ago: number) =>
      new Date(t.clock.now().getTime() - ago * DAY_MS).toISOString().slice(0, 10);
    // At most 3 a day: an axis of halves ("0.5 views") would show at once.
    const full = { pageViews: 3, arStarts: 2, markersFound: 1, videoPlays: 1 };
    for (const ago of [0, 3, 10]) await seedDayStats(t, anna.portraitId, day(ago), full);
    await seedDayStats(t, anna.portraitId, day(40), { pageViews: 3 }); // only in 90 days
    await seedDayStats(t, boris.portraitId, day(1), {
      pageViews: 2,
      arStarts: 2,
      markersFound: 2,
      videoPlays: 1,
    });
    // Last 30 days: 11 opened, 8 started, 5 found, 4 played → 73 %, 63 %, 80 %; 36 % overall.
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const bars = (page: Page) => page.locator('svg.chart rect.chart-bar');

  /** The value axis' labels: whole numbers from 0, increasing, the top one at least the tallest bar. */
  async function expectIntegerTicks(page: Page): Promise<void> {
    const labels = await page.locator('svg.chart .chart-tick').allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const label of labels) expect(label, labels.join(' | ')).toMatch(/^\d+$/);
    const ticks = labels.map(Number);
    expect(ticks[0]).toBe(0);
    expect([...ticks].sort((a, b) => a - b)).toEqual(ticks);
    const values: number[] = [];
    for (const bar of await bars(page).all()) {
      values.push(Number(await bar.getAttribute('data-value')));
    }
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(Math.max(...values));
  }

  it('Russian, desktop: funnel rates, top portraits; presets, weeks and own dates change the chart', async () => {
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/`, user, {
      locale: 'ru-RU',
      pageErrors,
    });
    try {
      const panel = page.getByRole('region', { name: 'Просмотры всех портретов' });
      await expect.poll(() => bars(page).count()).toBe(30);
      await expectIntegerTicks(page);
      const funnel = panel.getByRole('region', { name: 'От ссылки до видео' });
      await expect
        .poll(() => funnel.locator('[data-step="opened"] .funnel-count').textContent())
        .toBe('11');
      expect(await funnel.locator('[data-step="started"] .funnel-rate').textContent()).toMatch(
        /^73\s%\sот предыдущего шага$/,
      );
      expect(await funnel.locator('[data-step="played"] .funnel-rate').textContent()).toMatch(
        /^80\s%/,
      );
      expect(await funnel.locator('.funnel-overall').textContent()).toMatch(
        /^36\s%\sоткрывших страницу посмотрели видео\.$/,
      );

      const top = panel.getByRole('region', { name: 'Самые просматриваемые портреты' });
      const links = top.getByRole('link');
      await expect.poll(() => links.count()).toBe(2);
      expect(await links.first().textContent()).toMatch(
        /^Портрет — Анна Петрова, \d+ [а-я]+ \d{4} г\.$/,
      );
      expect(await links.first().getAttribute('href')).toBe(`/admin/portraits/${anna.portraitId}`);
      expect(await top.locator('li').first().textContent()).toContain('9 просмотров');
      expect(await links.nth(1).textContent()).toContain('Борис Ёлкин');

      await panel.getByRole('radio', { name: '7 дней' }).check();
      await expect.poll(() => bars(page).count()).toBe(7);
      await expectIntegerTicks(page);
      await expect
        .poll(() => funnel.locator('[data-step="opened"] .funnel-count').textContent())
        .toBe('8');
      expect(await top.locator('li').first().textContent()).toContain('6 просмотров');

      await panel.getByRole('radio', { name: '90 дней' }).check();
      await expect.poll(() => bars(page).count()).toBe(90);
      await panel.getByRole('radio', { name: 'По неделям' }).check();
      await expect.poll(() => bars(page).count()).toBeLessThanOrEqual(15);
      expect(await bars(page).count()).toBeGreaterThanOrEqual(13);
      await expectIntegerTicks(page);
      // Date labels under the bars in Russian.
      expect(await page.locator('svg.chart .chart-label').first().textContent()).toMatch(
        /^\d+ [а-я]+\.?$/,
      );

      // Two dates of one's own: refused while the end is before the start, then 12 days.
      await panel.getByRole('radio', { name: 'Свои даты' }).check();
      const dates = panel.getByRole('form', { name: 'Свои даты' });
      await dates.getByLabel('С', { exact: true }).fill(day(5));
      await dates.getByLabel('По', { exact: true }).fill(day(8));
      await expect
        .poll(() => dates.locator('.field-error').textContent())
        .toContain('раньше начала');
      expect(await dates.getByRole('button', { name: 'Показать' }).isDisabled()).toBe(true);
      await dates.getByLabel('С', { exact: true }).fill(day(11));
      await dates.getByLabel('По', { exact: true }).fill(day(0));
      await dates.getByRole('button', { name: 'Показать' }).click();
      await panel.getByRole('radio', { name: 'По дням' }).check();
      await expect.poll(() => bars(page).count()).toBe(12);
      await expectIntegerTicks(page);
      expect(await panel.locator('.analytics-range').getAttribute('data-from')).toBe(day(11));
      expect(await funnel.locator('[data-step="opened"] .funnel-count').textContent()).toBe('11');
      // The CSV download takes the same period.
      const link = panel.getByRole('link', { name: 'Выгрузить CSV' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const csv = (await readFile(await download.path())).toString('utf8');
      const csvDays = csv
        .split('\r\n')
        .slice(1)
        .filter(Boolean)
        .map((row) => row.split(';')[0]);
      expect(csvDays).toEqual([day(10), day(3), day(1), day(0)]);
      expect(pageErrors).toEqual([]);
      await screenshot(page, 'analytics-dashboard-ru');
    } finally {
      await context.close();
    }
  });

  it('English at 375×812: the same figures, day/week and presets, the portrait link', async () => {
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/`, user, {
      locale: 'en-GB',
      phone: true,
      pageErrors,
    });
    try {
      const panel = page.getByRole('region', { name: 'Views across all portraits' });
      await expect.poll(() => bars(page).count()).toBe(30);
      const funnel = panel.getByRole('region', { name: 'From the link to the video' });
      expect(await funnel.locator('[data-step="found"] .funnel-rate').textContent()).toBe(
        '63% of the step before',
      );
      expect(await funnel.locator('.funnel-overall').textContent()).toBe(
        '36% of those who opened the page watched the video.',
      );
      await panel.getByRole('radio', { name: 'By week' }).check();
      await expect.poll(() => bars(page).count()).toBeLessThanOrEqual(6);
      await expectIntegerTicks(page);
      await panel.getByRole('radio', { name: '7 days' }).check();
      await expect.poll(() => bars(page).count()).toBeLessThanOrEqual(2);
      await panel.getByRole('radio', { name: 'By day' }).check();
      await expect.poll(() => bars(page).count()).toBe(7);
      await expectIntegerTicks(page);
      // Nothing wider than the phone.
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth'),
      ).toBeLessThanOrEqual(375);
      const top = panel.getByRole('region', { name: 'Most viewed portraits' });
      expect(await top.getByRole('link').first().textContent()).toMatch(
        /^Portrait — Анна Петрова, \d+ [A-Z][a-z]+ \d{4}$/,
      );
      await screenshot(page, 'analytics-dashboard-en-phone');
      await top.getByRole('link').first().click();
      await expect.poll(() => page.url()).toContain(`/admin/portraits/${anna.portraitId}`);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
