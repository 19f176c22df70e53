import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { fixtureParts } from '../support/studio.js';

/**
 * Issue 12: a new order whose photo cannot become a marker (a flat grey picture) must not read
 * as a success with a developer message under it. The order page's banner turns into a failure
 * in plain words with the next step, the code small for support; the marker card says the same.
 */
describe('a new order whose marker fails, in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let workDir = '';
  const files = { flat: '', video: '' };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-order-failure-'));
    files.flat = path.join(workDir, 'flat.jpg');
    files.video = path.join(workDir, 'clip.mp4');
    await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#808080' } })
      .jpeg()
      .toFile(files.flat);
    await writeFile(files.video, (await fixtureParts()).video.content);
    t.ctx.jobs.start();
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it.each(['en', 'ru'] as const)(
    '%s: the banner says it failed, why, and what to do',
    async (language) => {
      const user = await t.createUser('operator');
      const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/orders/new`, user, {
        locale: language === 'ru' ? 'ru-RU' : 'en-US',
        pageErrors,
      });
      await page.locator('input[name="clientName"]').fill('Flat Photo');
      await page
        .locator('input[name="clientPhone"]')
        .fill(language === 'ru' ? '+79990000001' : '+79990000002');
      await page.locator('input[name="portrait"]').setInputFiles(files.flat);
      await page.locator('input[name="video"]').setInputFiles(files.video);
      await page.locator('form button[type="submit"]').click();
      await page.waitForURL(/\/admin\/orders\/[0-9a-f-]{36}$/, { timeout: 60_000 });

      const failed = page.getByTestId('order-failed');
      await failed.waitFor({ timeout: 90_000 });
      const words =
        language === 'ru'
          ? { what: 'слишком мало деталей', next: 'замените его', code: 'код: too_few_features' }
          : { what: 'too little detail', next: 'replace it', code: 'code: too_few_features' };
      const text = (await failed.textContent()) ?? '';
      expect(text).toContain(words.what);
      expect(text).toContain(words.next);
      expect(await failed.locator('.error-code').textContent()).toContain(words.code);
      // No success banner above a failure; neither the banner nor the marker card shows the
      // server's developer message.
      expect(await page.locator('.notice-success').count()).toBe(0);
      const developer = /grey-level|deviation|generation_failed/;
      expect(text).not.toMatch(developer);
      expect(await page.getByTestId('marker-failure').textContent()).not.toMatch(developer);
      expect(await page.getByTestId('marker-failure').textContent()).toContain(words.what);
      await screenshot(page, `order-marker-failed-${language}`);
      await context.close();
      expect(pageErrors).toEqual([]);
    },
  );
});
