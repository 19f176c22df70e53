import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/shared/ids.js';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { seedOrder, type SeededOrder } from '../support/seed-orders.js';

/**
 * Issue 12 in Chromium: phones shown as Russians write them (`+7 912 345-67-89`), and the
 * Clients page's notice of clients the phone migration found with the same number, merged
 * with its "Merge" action after confirming, in Russian and in English.
 */
describe('client phones in the admin app', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let user: { username: string; password: string };
  let maria: SeededOrder;
  let oldCard: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    user = await t.createUser('operator');
    maria = await seedOrder(t, { clientName: 'Мария Смирнова', phone: '+79123456789' });
    // As migration 0013 leaves a second card of the same number: its old form.
    oldCard = uuidv7();
    const now = t.clock.now().toISOString();
    await t.ctx.database.db
      .insertInto('clients')
      .values({
        id: oldCard,
        name: 'М. Смирнова',
        phone: '89123456789',
        email: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('shows the notice in English on a phone', async () => {
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/clients`, user, {
      locale: 'en-GB',
      phone: true,
      pageErrors,
    });
    try {
      const notice = page.getByTestId('phone-collisions');
      await notice.getByText('1 client has the same phone number as another client').waitFor();
      expect(await notice.textContent()).toContain('+7 912 345-67-89');
      expect(await notice.getByRole('button', { name: 'Merge' }).count()).toBe(1);
      await screenshot(page, 'clients-phone-collisions-en-phone');
    } finally {
      await context.close();
    }
  });

  it('shows formatted phones and merges the duplicate after confirming (Russian)', async () => {
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/clients`, user, {
      locale: 'ru-RU',
      pageErrors,
    });
    try {
      const row = page.locator(`tr[data-client-id="${maria.clientId}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('+7 912 345-67-89');
      const notice = page.getByTestId('phone-collisions');
      await notice.getByText('У 1 клиента тот же номер телефона, что у другого клиента').waitFor();
      await screenshot(page, 'clients-phone-collisions-ru');

      await notice.getByRole('button', { name: 'Объединить' }).click();
      const dialog = page.getByRole('dialog', { name: 'Объединить клиентов?' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain(
        '«М. Смирнова» перейдут к клиенту «Мария Смирнова»',
      );
      await dialog.getByRole('button', { name: 'Объединить' }).click();

      await page.getByText('Клиент «М. Смирнова» объединён с клиентом «Мария Смирнова».').waitFor();
      await notice.waitFor({ state: 'detached' });
      await expect.poll(() => page.locator(`tr[data-client-id="${oldCard}"]`).count()).toBe(0);
      const left = await t.ctx.database.db
        .selectFrom('clients')
        .select('id')
        .where('id', '=', oldCard)
        .execute();
      expect(left).toEqual([]);

      await page.goto(`${baseUrl}/admin/clients/${maria.clientId}`);
      await page.getByRole('heading', { level: 1, name: 'Мария Смирнова' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('+7 912 345-67-89');
    } finally {
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
