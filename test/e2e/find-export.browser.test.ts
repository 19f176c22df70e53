import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

/**
 * Issue 12 in Chromium against the real server: searching the orders list, "Export CSV" with
 * the list's filter (a real download: BOM, `;`, Cyrillic, the rows shown), and the notes card of
 * the order and client pages (save, the saved state, kept after a reload, too long refused), in
 * Russian and in English, and at 375×812.
 */
describe('order search, CSV export and notes in the admin app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let user: { username: string; password: string };
  let anna: SeededOrder;
  let boris: SeededOrder;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    user = await t.createUser('operator');
    anna = await seedOrder(t, { clientName: 'Анна Петрова', phone: '+79123456789' });
    t.clock.advance(1000);
    boris = await seedOrder(t, { clientName: 'Борис Ёлкин', phone: '+79995550011' });
    t.clock.advance(1000);
    await seedOrder(t, { clientName: 'Анна Смирнова', phone: '+79001234567' });
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const orderRows = (page: Page) => page.locator('tr[data-order-id]');

  it('searches orders and exports exactly the rows shown (Russian)', async () => {
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/orders`, user, {
      locale: 'ru-RU',
      pageErrors,
    });
    try {
      await expect.poll(() => orderRows(page).count()).toBe(3);
      await page.getByLabel('Поиск по номеру, клиенту или телефону').fill('АННА');
      await expect.poll(() => orderRows(page).count()).toBe(2);
      await page.getByLabel('Поиск по номеру, клиенту или телефону').fill('8 999 555-00-11');
      await expect.poll(() => page.url()).toContain('q=8+999+555-00-11');
      await expect.poll(() => orderRows(page).count()).toBe(1);
      expect(await orderRows(page).first().getAttribute('data-order-id')).toBe(boris.orderId);
      await page.getByLabel('Поиск по номеру, клиенту или телефону').fill('анна');
      await expect.poll(() => orderRows(page).count()).toBe(2);
      const shown: string[] = [];
      for (let i = 0; i < (await orderRows(page).count()); i++) {
        shown.push((await orderRows(page).nth(i).getAttribute('data-order-id')) ?? '');
      }

      const link = page.getByRole('link', { name: 'Выгрузить CSV' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
      const bytes = await readFile(await download.path());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
      expect(lines[0]?.split(';')[1]).toBe('Номер заказа');
      expect(lines.slice(1).map((line) => line.split(';')[0])).toEqual(shown);
      expect(lines.slice(1).join('\n')).toContain('Анна Петрова');
      await screenshot(page, 'orders-search-ru');
    } finally {
      await context.close();
    }
  });

  it('saves a note on the order page, shows it saved, keeps it after a reload (Russian)', async () => {
    const { context, page } = await openAdminPage(
      browser,
      `${baseUrl}/admin/orders/${anna.orderId}`,
      user,
      { locale: 'ru-RU', pageErrors },
    );
    try {
      const card = page.locator('[data-notes="order"]');
      const field = card.getByLabel('Заметка к заказу');
      const status = card.getByRole('status');
      await expect.poll(() => status.textContent()).toBe('Заметки пока нет.');
      await field.fill('Заберут в пятницу.\nПечать 13×18, матовая.');
      expect(await status.textContent()).toBe('Изменения ещё не сохранены.');
      await card.getByRole('button', { name: 'Сохранить заметку' }).click();
      await expect.poll(() => status.textContent()).toBe('Сохранено.');
      expect(await card.getByRole('button', { name: 'Сохранить заметку' }).isDisabled()).toBe(true);

      await field.fill('я'.repeat(2001));
      expect(await status.textContent()).toBe('Не больше 2000 символов: сократите заметку.');
      expect(await card.getByRole('button', { name: 'Сохранить заметку' }).isDisabled()).toBe(true);

      await page.reload();
      await expect
        .poll(() => page.locator('[data-notes="order"] textarea').inputValue())
        .toBe('Заберут в пятницу.\nПечать 13×18, матовая.');
      const stored = await t.ctx.database.db
        .selectFrom('orders')
        .select('notes')
        .where('id', '=', anna.orderId)
        .executeTakeFirstOrThrow();
      expect(stored.notes).toBe('Заберут в пятницу.\nПечать 13×18, матовая.');
      await screenshot(page, 'order-notes-ru');
    } finally {
      await context.close();
    }
  });

  it('saves and clears a note on the client page (English), and exports clients', async () => {
    const { context, page } = await openAdminPage(
      browser,
      `${baseUrl}/admin/clients/${boris.clientId}`,
      user,
      { locale: 'en-US', pageErrors },
    );
    try {
      const card = page.locator('[data-notes="client"]');
      const status = card.getByRole('status');
      await card.getByLabel('Note on the client').fill('Prefers WhatsApp');
      await card.getByRole('button', { name: 'Save note' }).click();
      await expect.poll(() => status.textContent()).toBe('Saved.');
      await card.getByLabel('Note on the client').fill('');
      await card.getByRole('button', { name: 'Save note' }).click();
      await expect.poll(() => status.textContent()).toBe('Note removed.');
      const stored = await t.ctx.database.db
        .selectFrom('clients')
        .select('notes')
        .where('id', '=', boris.clientId)
        .executeTakeFirstOrThrow();
      expect(stored.notes).toBeNull();

      await page.goto(`${baseUrl}/admin/clients?q=${encodeURIComponent('ёлкин')}`);
      const link = page.getByRole('link', { name: 'Export CSV' });
      await expect.poll(() => link.getAttribute('href')).toContain('lang=en');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const text = (await readFile(await download.path())).toString('utf8');
      const lines = text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean);
      expect(lines[0]?.split(';')[0]).toBe('Client ID');
      expect(lines.slice(1).map((line) => line.split(';')[0])).toEqual([boris.clientId]);
    } finally {
      await context.close();
    }
  });

  it('fits a phone: the notes card and the export link at 375×812', async () => {
    const { context, page } = await openAdminPage(
      browser,
      `${baseUrl}/admin/orders/${boris.orderId}`,
      user,
      { locale: 'ru-RU', phone: true, pageErrors },
    );
    try {
      await page.locator('[data-notes="order"] textarea').waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, 'phone-order-notes-ru');
      await page.goto(`${baseUrl}/admin/orders`);
      await page.getByRole('link', { name: 'Выгрузить CSV' }).waitFor();
      await screenshot(page, 'phone-orders-export-ru');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
