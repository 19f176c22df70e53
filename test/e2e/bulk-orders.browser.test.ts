import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../web/admin/src/errorMessages.js';
import { videoFixture } from '../fixtures/media.js';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';

/**
 * Issue 12, bulk orders for a photo day: ten portrait + video pairs dropped at once are
 * previewed (pairs, an unpaired file, a CSV row without files), uploaded two at a time and
 * summed up. Then a network drop: some answers are lost after the server created the order,
 * one request never arrives; those items say so in words, Retry finishes them, a reload keeps
 * the list, and the studio has exactly ten new orders — none twice. The job runner is not
 * started: markers are not part of this test.
 */
describe('bulk orders, in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let workDir = '';
  const pageErrors: string[] = [];
  const KIDS = [
    'ivanova',
    'petrov',
    'sidorova',
    'kuznetsov',
    'smirnova',
    'popov',
    'vasilieva',
    'sokolov',
    'mikhailova',
    'novikov',
  ];
  const phoneOf = (index: number, base: number) => `+1 202 555 0${base + index}`;

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-bulk-'));
    const video = await videoFixture();
    // Small distinct JPEGs (the shorter side must be ≥ 480 px) and one tiny MP4 copied per name.
    for (const [index, kid] of KIDS.entries()) {
      const background = { r: 20 * index, g: 255 - 20 * index, b: 128 };
      await sharp({ create: { width: 480, height: 600, channels: 3, background } })
        .jpeg({ quality: 60 })
        .toFile(path.join(workDir, `${kid}.jpg`));
      await copyFile(video, path.join(workDir, `${kid}.mp4`));
    }
    await sharp({ create: { width: 480, height: 600, channels: 3, background: '#888' } })
      .jpeg()
      .toFile(path.join(workDir, 'absent.jpg'));
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const ordersOf = async (username: string) => {
    const row = await t.ctx.database.db
      .selectFrom('orders')
      .innerJoin('users', 'users.id', 'orders.createdBy')
      .where('users.username', '=', username)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  };
  const pairFiles = (names: string[]) =>
    names.flatMap((name) => [path.join(workDir, `${name}.jpg`), path.join(workDir, `${name}.mp4`)]);
  const counts = (page: Page) => page.getByTestId('bulk-counts');

  it('ru, desktop: ten pairs by file name, one unpaired file, all created, a summary', async () => {
    const user = await t.createUser('operator');
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/`, user, {
      locale: 'ru-RU',
      pageErrors,
    });
    await page.getByRole('link', { name: 'Массовые заказы' }).click();
    await page.getByRole('heading', { name: 'Массовые заказы' }).waitFor();
    // The phone ends each file name here; the unpaired photo has no video.
    const named = KIDS.map((kid, index) => `${kid} ${phoneOf(index, 100).replace(/ /g, '')}`);
    for (const [index, kid] of KIDS.entries()) {
      await copyFile(path.join(workDir, `${kid}.jpg`), path.join(workDir, `${named[index]}.jpg`));
      await copyFile(path.join(workDir, `${kid}.mp4`), path.join(workDir, `${named[index]}.mp4`));
    }
    await page
      .locator('#bulk-files')
      .setInputFiles([...pairFiles(named), path.join(workDir, 'absent.jpg')]);
    await expect
      .poll(() => counts(page).textContent())
      .toContain('Пар: 10 · файлов без пары: 1 · строк CSV без файлов: 0 · неверных телефонов: 0');
    expect(await page.getByTestId('bulk-unpaired').textContent()).toContain(
      'absent.jpg — нет видео с таким же именем',
    );
    expect(await page.locator('[data-pair="Ivanova"] input').inputValue()).toBe('+12025550100');
    await screenshot(page, 'bulk-preview-ru');

    await page.getByRole('button', { name: 'Создать заказы: 10' }).click();
    const summary = page.getByTestId('bulk-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain('Создано заказов: 10, не создано: 0.');
    expect(await page.locator('[data-status="created"]').count()).toBe(10);
    expect(await page.getByTestId('bulk-created').textContent()).toContain(
      'Создано в этой партии (10)',
    );
    expect(await ordersOf(user.username)).toBe(10);
    await screenshot(page, 'bulk-done-ru');
    await context.close();
  });

  it('en, 375×812: CSV pairing; a network drop fails three, Retry and a reload make no duplicate', async () => {
    const user = await t.createUser('operator');
    const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/orders/bulk`, user, {
      locale: 'en-US',
      phone: true,
      pageErrors,
    });
    await page.getByRole('heading', { name: 'Bulk orders' }).waitFor();
    const csv =
      '\uFEFFClient name,Phone,Portrait,Video\r\n' +
      KIDS.map((kid, index) => `"${kid}, kid",${phoneOf(index, 200)},${kid}.jpg,${kid}`).join(
        '\r\n',
      ) +
      '\r\nGhost,+1 202 555 0299,ghost.jpg,ghost.mp4\r\n';
    const csvPath = path.join(workDir, 'class-5b.csv');
    await writeFile(csvPath, csv);
    const everything = [...pairFiles(KIDS), path.join(workDir, 'absent.jpg'), csvPath];
    await page.locator('#bulk-files').setInputFiles(everything);
    await expect
      .poll(() => counts(page).textContent())
      .toContain('10 pairs · 1 unpaired files · 1 CSV rows without files · 0 invalid phones');
    expect(await page.getByTestId('bulk-rows').textContent()).toContain(
      'line 12: Ghost — neither file was dropped',
    );

    // The network drops: two answers are lost after the server created the order (the
    // connection closes instead of the 202), one request never reaches the server.
    let accepted = 0;
    const dropAnswer = (request: IncomingMessage, response: ServerResponse) => {
      if (request.method !== 'POST' || request.url !== '/api/orders') return;
      accepted += 1;
      if (accepted !== 2 && accepted !== 5) return;
      // The answer starts, then the connection breaks (with no byte sent, Chromium would
      // quietly send the request again on a fresh connection).
      response.writeHead = () => {
        request.socket.end('HTTP/1.1 202 Accepted\r\nContent-Length: 5000\r\n\r\n{"ord');
        request.socket.destroy();
        return response;
      };
    };
    t.app.server.on('request', dropAnswer);
    let sent = 0;
    await page.route(
      (url) => url.pathname === '/api/orders',
      async (route) => {
        if (route.request().method() === 'POST' && ++sent === 7) {
          return route.abort('internetdisconnected');
        }
        return route.continue();
      },
    );
    await page.getByRole('button', { name: 'Create 10 orders' }).click();
    const summary = page.getByTestId('bulk-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toContain('7 orders created, 3 failed.');
    const network = ERROR_MESSAGES.network_error.en.message;
    expect(await page.locator('[data-status="failed"]').count()).toBe(3);
    for (const row of await page.locator('[data-status="failed"]').all()) {
      expect(await row.textContent()).toContain(network);
    }
    await screenshot(page, 'bulk-network-drop-en');
    expect(await ordersOf(user.username)).toBe(9);

    t.app.server.off('request', dropAnswer);
    await page.unrouteAll();
    await page.getByRole('button', { name: 'Retry 3 failed' }).click();
    await expect
      .poll(() => summary.textContent(), { timeout: 60_000 })
      .toContain('10 orders created, 0 failed.');
    expect(await ordersOf(user.username)).toBe(10);

    // A reload keeps the list; the same files again are all done, nothing is sent.
    await page.reload();
    const created = page.getByTestId('bulk-created');
    await created.waitFor();
    expect(await created.textContent()).toContain('Created in this batch (10)');
    await page.locator('#bulk-files').setInputFiles(everything);
    await expect.poll(() => page.locator('[data-pair] .badge-good').count()).toBe(10);
    expect(await page.getByRole('button', { name: /^Create/ }).count()).toBe(0);
    expect(await ordersOf(user.username)).toBe(10);
    await screenshot(page, 'bulk-resumed-en');
    await context.close();
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
