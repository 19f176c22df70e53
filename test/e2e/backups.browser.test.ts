import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageKey } from '../../src/infra/storage/index.js';
import { defaultAdminUiDir } from '../../src/modules/admin-ui/admin-ui.routes.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { BACKUP_PASSPHRASE } from '../support/backup.js';
import { launchBrowser } from '../support/browser.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/**
 * The admin Backups page in Chromium against the real server (SQLite + local disk, job runner
 * on): back up now with progress to the end, the list, verify, the restore command, download.
 */
describe('admin Backups page in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let dir: string;
  let admin: { username: string; password: string };

  beforeAll(async () => {
    const index = path.join(defaultAdminUiDir(), 'index.html');
    if (!existsSync(index)) {
      throw new Error(`${index} is missing: build the admin app first (npm run build)`);
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-backups-e2e-'));
    t = await createTestApp({
      JOB_POLL_MS: '100',
      BACKUP_DIR: dir,
      BACKUP_PASSPHRASE,
      BACKUP_SCHEDULE: '0 3 * * *',
    });
    await t.ctx.storage.put(storageKey('portraits', 'p1', 'original.jpg'), Buffer.alloc(40_000, 1));
    t.ctx.jobs.start();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://127.0.0.1:${address.port}`;
    admin = await t.createUser('admin');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up now, lists, verifies, shows the restore command and downloads', async () => {
    if (browser === undefined) throw new Error('Chromium did not start');
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/admin/backups`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
    await expect
      .poll(() => page.getByTestId('backup-schedule').textContent())
      .toContain('0 3 * * *');
    await page.getByText('No backups yet.').waitFor();

    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 30_000 });
    const row = page.locator('tr[data-backup-id]');
    await row.waitFor();
    const backupId = (await row.getAttribute('data-backup-id')) ?? '';
    expect(backupId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    await expect.poll(() => row.textContent()).toContain('Complete');
    expect(await row.textContent()).toContain('Not verified');
    expect(await page.getByTestId('restore-command').textContent()).toBe(
      `vertex-ar backup restore ${backupId}`,
    );

    await row.getByRole('button', { name: `Verify ${backupId}` }).click();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Verified');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: `Download ${backupId}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`vertex-backup-${backupId}.tar`);
    expect(await download.failure()).toBeNull();
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'backups-desktop.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
