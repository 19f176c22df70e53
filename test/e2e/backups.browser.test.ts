import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageKey } from '../../src/infra/storage/index.js';
import { logIn, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { BACKUP_PASSPHRASE } from '../support/backup.js';
import { launchBrowser } from '../support/browser.js';

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
    await prepareAdminUi();
    dir = mkdtempSync(path.join(os.tmpdir(), 'vertex-backups-e2e-'));
    t = await createTestApp({
      JOB_POLL_MS: '100',
      BACKUP_DIR: dir,
      BACKUP_PASSPHRASE,
      BACKUP_SCHEDULE: '0 3 * * *',
    });
    await t.ctx.storage.put(storageKey('portraits', 'p1', 'original.jpg'), Buffer.alloc(40_000, 1));
    t.ctx.jobs.start();
    baseUrl = await t.listen();
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
      locale: 'en-US',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/admin/backups`);
    await logIn(page, admin);
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
    await screenshot(page, 'backups-desktop');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
