import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemStatus } from '../../src/modules/system/system-status.service.js';
import { uuidv7 } from '../../src/shared/ids.js';
import { versionInfo } from '../../src/version.js';
import {
  openAdminPage,
  prepareAdminUi,
  screenshot,
  switchLanguage,
  type OpenOptions,
} from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';

/** The uptime the page must show: the test clock is moved on by this much. */
const UPTIME_MS = 2 * 3600_000 + 5 * 60_000;
const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** `76.3 GB` → 76.3e9 (the English rendering of `formatBytes`). */
function parseBytes(shown: string): number {
  const found = /^([\d.]+) (B|KB|MB|GB|TB)$/.exec(shown.trim());
  if (found === null) throw new Error(`not a byte size: ${shown}`);
  return Number(found[1]) * (UNITS[found[2] ?? ''] ?? Number.NaN);
}

/**
 * The admin System status page in Chromium against the real server (SQLite + local disk):
 * version, uptime, database and storage health, disk space as the API reports it, the job
 * kinds (one with a recent failure, marked), no backup yet (marked); in English and, after
 * the page's language switch, in Russian; at 375×812 without horizontal scrolling; an operator
 * sees neither the link nor the figures.
 */
describe('admin System status page in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let admin: { username: string; password: string };
  let operator: { username: string; password: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    admin = await t.createUser('admin');
    operator = await t.createUser('operator');
    t.clock.advance(UPTIME_MS);
    // A video job that failed for good an hour ago: its kind must be marked.
    const failedAt = new Date(t.clock.now().getTime() - 3600_000).toISOString();
    await t.ctx.database.db
      .insertInto('jobs')
      .values({
        id: uuidv7(),
        key: `video.process:${uuidv7()}:1`,
        kind: 'video.process',
        entityId: null,
        payload: '{}',
        status: 'failed',
        attempts: 3,
        maxAttempts: 3,
        runAfter: failedAt,
        lockedBy: null,
        lockedUntil: null,
        progress: 0,
        lastError: 'ffmpeg exited with code 1',
        createdAt: failedAt,
        updatedAt: failedAt,
        finishedAt: failedAt,
      })
      .execute();
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const open = (
    user: { username: string; password: string },
    options: Omit<OpenOptions, 'pageErrors'> = {},
  ) => openAdminPage(browser, `${baseUrl}/admin/system`, user, { ...options, pageErrors });

  /** The API's answer, asked with the page's own session. */
  const apiStatus = (page: Page) =>
    page.evaluate<SystemStatus>(
      "fetch('/api/system/status', { credentials: 'same-origin' }).then((r) => r.json())",
    );
  const jobRows = (page: Page) => page.locator('tr[data-job-kind]');
  async function jobKinds(page: Page): Promise<string[]> {
    const rows = jobRows(page);
    const kinds: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      kinds.push((await rows.nth(i).getAttribute('data-job-kind')) ?? '');
    }
    return kinds;
  }

  it('English: the figures the API reports; Russian after the switch', async () => {
    const { context, page } = await open(admin);
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    expect(
      await page.getByRole('link', { name: 'System status' }).getAttribute('aria-current'),
    ).toBe('page');
    await page.getByTestId('system-version').waitFor();
    const status = await apiStatus(page);
    expect(status.version).toBe(versionInfo.version);

    expect(await page.getByTestId('system-version').textContent()).toBe(versionInfo.version);
    expect(await page.getByTestId('system-uptime').textContent()).toBe('2 h 5 min');
    const database = page.getByTestId('system-database');
    expect(await database.getAttribute('data-warning')).toBe('false');
    expect(await database.textContent()).toContain('SQLite');
    expect(await page.getByTestId('system-database-health').textContent()).toBe('Healthy');
    expect(await page.getByTestId('system-storage-health').textContent()).toBe('Healthy');

    // Disk free per volume: what the API says (a few MB may change between the two requests).
    expect(status.disk.length).toBeGreaterThan(0);
    for (const volume of status.disk) {
      const item = page.locator(`[data-volume="${volume.volume}"]`);
      const shown = parseBytes((await item.getByTestId('disk-free').textContent()) ?? '');
      expect(Math.abs(shown - volume.freeBytes)).toBeLessThanOrEqual(
        volume.freeBytes * 0.01 + 50e6,
      );
      const percent = Math.round((volume.freeBytes / volume.totalBytes) * 100);
      const shownPercent = Number(
        /^(\d+)%/.exec((await item.getByTestId('disk-share').textContent()) ?? '')?.[1],
      );
      expect(Math.abs(shownPercent - percent)).toBeLessThanOrEqual(1);
      expect(await item.getAttribute('data-warning')).toBe(String(percent < 20));
    }

    // Every job kind, the one with a failure in the last 24 h marked.
    await expect.poll(() => jobKinds(page)).toEqual(status.jobs.map((job) => job.kind));
    expect(status.jobs.map((job) => job.kind)).toEqual(
      expect.arrayContaining(['marker.generate', 'video.process', 'backup.create']),
    );
    const video = page.locator('tr[data-job-kind="video.process"]');
    expect(await video.getAttribute('data-warning')).toBe('true');
    expect(await video.textContent()).toContain('Video processing');
    expect(await video.textContent()).toContain('Needs attention');
    expect(
      await page.locator('tr[data-job-kind="marker.generate"]').getAttribute('data-warning'),
    ).toBe('false');
    expect(await page.getByTestId('system-jobs').getAttribute('data-warning')).toBe('true');

    // No backup yet: said, and marked.
    expect(await page.getByTestId('system-backup').getAttribute('data-warning')).toBe('true');
    await page.getByText('No backup has succeeded yet.').waitFor();
    expect(await page.getByTestId('system-markers').textContent()).toContain(
      'No ready markers yet.',
    );

    // Refresh asks again ("Updated at" follows the new answer).
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/system/status'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    expect((await refreshed).status()).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    await screenshot(page, 'system-status');

    // Russian: the page's switch; the choice survives a reload.
    await page.getByRole('button', { name: 'Русский' }).click();
    await page.getByRole('heading', { level: 1, name: 'Состояние системы' }).waitFor();
    expect(await page.getByRole('link', { name: 'Состояние системы' }).count()).toBe(1);
    for (const label of ['База данных', 'Место на диске', 'Очередь задач', 'Версия']) {
      await page.getByText(label, { exact: true }).first().waitFor();
    }
    expect(await page.getByTestId('system-database-health').textContent()).toBe('Работает');
    expect(await page.getByTestId('system-uptime').textContent()).toBe('2 ч 5 мин');
    expect(await video.textContent()).toContain('Обработка видео');
    await page.getByText('Ни одной резервной копии ещё не создано.').waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Состояние системы' }).waitFor();
    await screenshot(page, 'system-status-ru');
    // The choice is saved on the account: back to English for the next tests.
    await switchLanguage(page, 'English');
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    await context.close();
  });

  it('last backup: when (relative and absolute), duration, size, and a failure after it', async () => {
    const now = t.clock.now().getTime();
    const run = (status: 'succeeded' | 'failed', finishedMs: number, bytes: number | null) => ({
      id: uuidv7(),
      kind: 'create' as const,
      trigger: 'schedule' as const,
      backupId: null,
      status,
      phase: null,
      done: 0,
      total: 0,
      bytes,
      objects: null,
      copied: null,
      error: status === 'failed' ? 'disk full' : null,
      requestedBy: null,
      startedAt: new Date(finishedMs - 95_000).toISOString(),
      finishedAt: new Date(finishedMs).toISOString(),
      slot: null,
    });
    await t.ctx.database.db
      .insertInto('backupRuns')
      .values([
        run('succeeded', now - 30 * 3600_000, 123_456_789),
        run('failed', now - 2 * 3600_000, null),
      ])
      .execute();
    const { context, page } = await open(admin);
    const card = page.getByTestId('system-backup');
    await card.waitFor();
    expect(await card.getAttribute('data-warning')).toBe('true');
    const said = (await card.textContent()) ?? '';
    expect(said).toContain('more than 26 hours old');
    expect(await page.getByTestId('system-backup-when').textContent()).toMatch(
      /^30 hours ago · \d/,
    );
    expect(said).toContain('1 min 35 s');
    expect(said).toContain('123 MB');
    expect(await page.getByTestId('system-backup-failure').textContent()).toMatch(
      /^A later attempt failed: 2 hours ago · \d/,
    );
    await page.getByRole('button', { name: 'Русский' }).click();
    expect(await page.getByTestId('system-backup-when').textContent()).toMatch(
      /^30 часов назад · \d/,
    );
    await switchLanguage(page, 'English');
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    await context.close();
  });

  it('refreshes itself every 30 s', async () => {
    let asked = 0;
    const { context, page } = await open(admin, {
      beforeGoto: async (opened) => {
        opened.on('request', (request) => {
          if (request.url().endsWith('/api/system/status')) asked++;
        });
        await opened.clock.install();
      },
    });
    await page.getByTestId('system-version').waitFor();
    await expect.poll(() => asked).toBe(1);
    await page.clock.runFor(29_000);
    expect(asked).toBe(1);
    await page.clock.runFor(2_000);
    await expect.poll(() => asked).toBe(2);
    await page.clock.runFor(30_000);
    await expect.poll(() => asked).toBe(3);
    await context.close();
  });

  it('phone (375×812): nothing wider than the screen', async () => {
    const { context, page } = await open(admin, { phone: true });
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    await expect.poll(() => jobRows(page).count()).toBeGreaterThan(0);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      375,
    );
    await screenshot(page, 'system-status-phone');
    await context.close();
  });

  it('is not there for an operator', async () => {
    const { context, page } = await open(operator);
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    await page.getByText('Only administrators see the system status.').waitFor();
    expect(await page.getByRole('link', { name: 'System status' }).count()).toBe(0);
    expect(await page.getByTestId('system-version').count()).toBe(0);
    const answer = await page.evaluate<number>(
      "fetch('/api/system/status', { credentials: 'same-origin' }).then((r) => r.status)",
    );
    expect(answer).toBe(403);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
