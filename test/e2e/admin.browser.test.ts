import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortraitDetail } from '../../src/modules/portraits/portraits.schemas.js';
import { webmFixture } from '../fixtures/media.js';
import { logIn, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { fixtureParts } from '../support/studio.js';

/**
 * The admin web app end to end: the built SPA (dist/web/admin) served by the real server on
 * SQLite + local disk with the job runner on, driven in Debian Chromium at a desktop size and
 * at 375×812. The desktop run does the whole studio flow (login, order upload with progress,
 * processing to ready, print view and QR read back, second video activated, XSS-named client,
 * session expiry without losing input, logout); the phone run visits the main pages. Screenshots
 * of the main pages at both sizes go to test-results/screenshots/.
 */

// jsqr is CommonJS: its default export arrives as the module object's `default` in types only.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const XSS_NAME = '<img src=x onerror=alert(1)>';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
/** Upload throttle: slow enough for several progress events on loopback (~690 KB in ~2.5 s). */
const UPLOAD_BYTES_PER_SECOND = 280_000;

async function decodeQr(png: Buffer): Promise<string | null> {
  const { data, info } = await sharp(png)
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const code = jsQR(
    new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
  );
  return code?.data ?? null;
}

describe('admin web app in Chromium', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let workDir: string;
  let admin: { username: string; password: string };
  let api: LoggedIn;
  const files = { portrait: '', video: '', secondVideo: '' };
  /** Set by the desktop flow, visited by the phone flow. */
  let orderId: string | undefined;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  /** Anything the app loads from elsewhere than our server (there must be nothing: no CDN). */
  const foreignRequests: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    await prepareAdminUi();
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vertex-admin-e2e-'));
    const parts = await fixtureParts();
    files.portrait = path.join(workDir, 'portrait.jpg');
    files.video = path.join(workDir, 'clip.mp4');
    files.secondVideo = path.join(workDir, 'second.webm');
    await writeFile(files.portrait, parts.portrait.content);
    await writeFile(files.video, parts.video.content);
    await copyFile(await webmFixture(), files.secondVideo);

    t = await createTestApp({ JOB_POLL_MS: '100' });
    t.ctx.jobs.start();
    baseUrl = await t.listen();
    admin = await t.createUser('admin');
    api = await t.login(admin.username, admin.password);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    console.info(`admin e2e timings (ms): ${JSON.stringify(timings)}`);
    await browser?.close();
    await t.close();
    await rm(workDir, { recursive: true, force: true });
  });

  async function openContext(viewport: { width: number; height: number }, phone: boolean) {
    if (browser === undefined) throw new Error('Chromium did not start');
    // English: the app follows the browser's language (admin-russian.browser.test.ts: Russian).
    const context = await browser.newContext({
      viewport,
      locale: 'en-US',
      ...(phone ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => {
      pageErrors.push(error.message);
    });
    context.on('request', (request) => {
      if (!request.url().startsWith(`${baseUrl}/`) && !/^(data|blob):/.test(request.url())) {
        foreignRequests.push(request.url());
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
        pageErrors.push(`CSP: ${message.text()}`);
      }
    });
    return { context, page };
  }

  async function logInAsAdmin(page: Page) {
    await logIn(page, admin);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  }

  async function portraitDetail(portraitId: string): Promise<PortraitDetail> {
    const response = await t.app.inject({
      url: `/api/portraits/${portraitId}`,
      headers: bearer(api),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<PortraitDetail>();
  }

  async function waitForReady(page: Page, timeoutMs: number) {
    await page
      .locator('[data-testid="portrait-status"][data-status="ready"]')
      .waitFor({ timeout: timeoutMs });
  }

  /** The `<img>` has loaded (a broken image has naturalWidth 0). */
  async function imageLoaded(image: Locator) {
    await image.waitFor();
    await expect
      .poll(
        () =>
          image.evaluate(
            (element) => (element as unknown as { naturalWidth: number }).naturalWidth,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(0);
  }

  it(
    'desktop: order with upload progress, ready, QR print, second video, XSS, expiry, logout',
    { timeout: 300_000 },
    async () => {
      const { context, page } = await openContext(DESKTOP, false);
      const started = Date.now();
      try {
        // Not logged in: /admin/ asks for a login and remembers nothing else.
        await page.goto(`${baseUrl}/admin`);
        await page.getByRole('heading', { name: 'Log in to the studio' }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/admin/login');
        await screenshot(page, 'desktop-login');
        // Keyboard only: Tab to each field, Enter submits; the focused field is outlined.
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement.name')).toBe('username');
        expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe(
          'solid',
        );
        await page.keyboard.type(admin.username);
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement.name')).toBe('password');
        await page.keyboard.type(admin.password);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
        // PUBLIC_BASE_URL is http:// here: every page warns (in Russian: admin-russian test).
        expect(t.config.publicBaseUrl).toMatch(/^http:\/\//);
        const banner = page.getByTestId('https-warning-banner');
        await banner.waitFor();
        const bannerText = (await banner.textContent()) ?? '';
        expect(bannerText).toContain(`PUBLIC_BASE_URL is ${t.config.publicBaseUrl}`);
        expect(bannerText).toContain('QR codes printed now will not work on phones');
        await screenshot(page, 'desktop-dashboard');

        // Start a new order, then lose the session: the typed input survives the re-login.
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'New order' })
          .click();
        await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();
        await page.getByLabel('Client name').fill('Anna Petrova');
        await page.getByLabel('Phone').fill('+7 (999) 123-45-67');
        await context.clearCookies();
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Clients' })
          .click();
        const relogin = page.getByRole('dialog', { name: 'Log in again' });
        await relogin.waitFor();
        await expect.poll(() => relogin.textContent()).toContain('Your session expired');
        await relogin.getByLabel('Password').fill(admin.password);
        await relogin.getByRole('button', { name: 'Log in' }).click();
        await relogin.waitFor({ state: 'hidden' });
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'New order' })
          .click();
        await page.getByText('Your typed details were restored').waitFor();
        expect(await page.getByLabel('Client name').inputValue()).toBe('Anna Petrova');
        expect(await page.getByLabel('Phone').inputValue()).toBe('+7 (999) 123-45-67');

        // A file that only claims to be a photo: the server's refusal shows beside that field.
        await page.getByLabel('Portrait photo').setInputFiles({
          name: 'notes.jpg',
          mimeType: 'image/jpeg',
          buffer: Buffer.from('just some text, not a photo at all'),
        });
        await page.getByLabel('Video').setInputFiles(files.video);
        await page.getByRole('button', { name: 'Create order' }).click();
        const portraitField = page.locator('.field-invalid', { hasText: 'Portrait photo' });
        // In plain words (the catalogue), not the server's developer message.
        await portraitField.getByText('This file is not a photo or video we can read.').waitFor();
        expect(await page.getByRole('alert').textContent()).toContain('highlighted fields');
        expect(await page.getByLabel('Portrait photo').getAttribute('aria-invalid')).toBe('true');
        await screenshot(page, 'desktop-new-order-error');

        // Upload with real progress: throttle the upload so the bar has time to move.
        await page.getByLabel('Portrait photo').setInputFiles(files.portrait);
        await page.getByLabel('Video').setInputFiles(files.video);
        await page.getByAltText('Preview of the chosen portrait').waitFor();
        await screenshot(page, 'desktop-new-order');
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: UPLOAD_BYTES_PER_SECOND,
        });
        const uploadStarted = Date.now();
        await page.getByRole('button', { name: 'Create order' }).click();
        const samples: { value: number; max: number }[] = [];
        for (;;) {
          const sample = await page.evaluate<{ value: number; max: number } | null>(
            `(() => { const p = document.querySelector('progress[data-testid="upload-progress"]');
              return p ? { value: p.value, max: p.max } : null; })()`,
          );
          if (sample !== null) {
            samples.push(sample);
            if (samples.length === 8) await screenshot(page, 'desktop-new-order-uploading');
          } else if (/\/admin\/orders\/[0-9a-f-]{36}$/.test(page.url())) {
            break;
          } else if ((await page.getByRole('alert').count()) > 0) {
            throw new Error(
              `upload failed: ${await page.getByRole('alert').first().textContent()}`,
            );
          }
          if (Date.now() - uploadStarted > 60_000) {
            throw new Error(
              `upload did not finish: ${JSON.stringify(samples.slice(-3))} ${samples.length}`,
            );
          }
          await page.waitForTimeout(40);
        }
        timings.uploadMs = Date.now() - uploadStarted;
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: -1,
        });
        const values = [...new Set(samples.map((sample) => sample.value))];
        const max = Math.max(...samples.map((sample) => sample.max));
        // The bar moved through several intermediate values, never backwards, up to all bytes.
        expect(
          values.filter((value) => value > 0 && value < max).length,
          JSON.stringify(values),
        ).toBeGreaterThanOrEqual(3);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        timings.progressValuesSeen = values.length;
        expect(max).toBeGreaterThan(680_000);

        // The order page shows processing, then ready without a reload.
        orderId = /\/admin\/orders\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
        expect(orderId).toBeDefined();
        await page.getByRole('heading', { level: 1, name: /^Order / }).waitFor();
        await page.locator('[data-testid="portrait-status"][data-status="processing"]').waitFor();
        // A flag in the page's memory: still there when ready means no reload happened.
        await page.evaluate('window.__sameDocument = true');
        await waitForReady(page, 150_000);
        timings.uploadToReadyMs = Date.now() - uploadStarted;
        expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
        await expect
          .poll(() => page.getByTestId('quality-score').textContent())
          .toMatch(/\d+ \/ 100/);
        expect(await page.getByTestId('self-test').textContent()).toMatch(/Found/);
        await imageLoaded(page.getByRole('img', { name: 'Portrait of Anna Petrova' }));
        await imageLoaded(page.locator('img.qr'));
        await screenshot(page, 'desktop-order');

        // Print view: the QR read back from the page is the portrait's public URL.
        await page.getByRole('link', { name: 'Print view' }).click();
        const qr = page.getByTestId('print-qr');
        await imageLoaded(qr);
        await imageLoaded(page.getByRole('img', { name: 'The portrait' }));
        const portraitId = /\/admin\/portraits\/([0-9a-f-]{36})\/print$/.exec(page.url())?.[1];
        if (portraitId === undefined) throw new Error(`not the print view: ${page.url()}`);
        const detail = await portraitDetail(portraitId);
        expect(detail.status).toBe('ready');
        const decoded = await decodeQr(await qr.screenshot());
        expect(decoded).toBe(detail.publicUrl);
        // The HTTPS warning sits beside the QR code on screen, but never goes onto the paper.
        const printWarning = page.getByTestId('https-warning-print');
        await printWarning.waitFor();
        expect(await printWarning.textContent()).toContain(
          'QR codes printed now will not work on phones',
        );
        await screenshot(page, 'desktop-print');
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('.print-toolbar').isVisible()).toBe(false);
        expect(await printWarning.isVisible()).toBe(false);
        expect(await page.locator('.https-warning').count()).toBeGreaterThan(0);
        expect(await page.locator('.https-warning').first().isVisible()).toBe(false);
        expect(await page.getByTestId('print-qr').isVisible()).toBe(true);
        await page.emulateMedia({ media: 'screen' });
        expect(await printWarning.isVisible()).toBe(true);

        // A second video: upload, wait until processed, activate → the public page plays it.
        await page.getByRole('link', { name: 'Back to the portrait' }).click();
        await page.getByRole('heading', { level: 1, name: 'Portrait of Anna Petrova' }).waitFor();
        const firstVideoId = detail.activeVideo?.id;
        await page.getByLabel('Add a video').setInputFiles(files.secondVideo);
        const videoStarted = Date.now();
        await page.getByRole('button', { name: 'Upload video' }).click();
        const newItem = page.locator(`li[data-video-id]:not([data-video-id="${firstVideoId}"])`);
        await newItem.waitFor();
        const newVideoId = await newItem.getAttribute('data-video-id');
        expect(newVideoId).toMatch(/^[0-9a-f-]{36}$/);
        await newItem.locator('[data-status="ready"]').waitFor({ timeout: 90_000 });
        timings.secondVideoReadyMs = Date.now() - videoStarted;
        await newItem.getByRole('button', { name: /Make active/ }).click();
        await newItem.locator('[data-active="true"]').waitFor();
        await page.getByText('is now active').waitFor();
        const publicPage = await fetch(`${baseUrl}/p/${detail.slug}`);
        const html = await publicPage.text();
        expect(html).toContain(`/media/videos/${newVideoId}/video.mp4`);
        expect(html).not.toContain(`/media/videos/${firstVideoId}/video.mp4`);
        await screenshot(page, 'desktop-portrait-videos');

        // Delete the first (no longer active) video, confirming in the dialog.
        const firstItem = page.locator(`li[data-video-id="${firstVideoId ?? ''}"]`);
        await firstItem.getByRole('button', { name: /^Delete/ }).click();
        const confirm = page.getByRole('dialog', { name: /^Delete video/ });
        await confirm.getByRole('button', { name: 'Delete video' }).click();
        await firstItem.waitFor({ state: 'detached' });
        await page.getByText('was deleted').waitFor();
        expect(await page.locator('li[data-video-id]').count()).toBe(1);

        // A client named like an XSS payload is shown as text everywhere.
        await page.getByRole('link', { name: 'Anna Petrova' }).first().click();
        await page.getByRole('heading', { level: 1, name: 'Anna Petrova' }).waitFor();
        await page.getByRole('textbox', { name: 'Name', exact: true }).fill(XSS_NAME);
        await page.getByRole('button', { name: 'Save changes' }).click();
        await page.getByText('Saved.').waitFor();
        await page.getByRole('heading', { level: 1, name: XSS_NAME }).waitFor();
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Clients' })
          .click();
        await page.getByLabel('Search by name or phone').fill('img src');
        await page.waitForURL(/\/admin\/clients\?q=img/);
        const cell = page.getByRole('link', { name: XSS_NAME, exact: true });
        await cell.waitFor();
        expect(await cell.textContent()).toBe(XSS_NAME);
        expect(await page.locator('img[src="x"]').count()).toBe(0);
        await screenshot(page, 'desktop-clients');
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Orders', exact: true })
          .click();
        await page.getByRole('link', { name: XSS_NAME }).waitFor();
        expect(await page.locator('img[src="x"]').count()).toBe(0);
        await screenshot(page, 'desktop-orders');

        // Studio: the admin uploads a logo (previewed, then shown as stored) and removes it.
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Studio' })
          .click();
        await page.getByRole('heading', { level: 1, name: 'Studio' }).waitFor();
        await page.getByText('No logo uploaded').waitFor();
        await page.getByLabel('Logo image').setInputFiles({
          name: 'logo.png',
          mimeType: 'image/png',
          buffer: await sharp({
            create: { width: 900, height: 300, channels: 4, background: '#1d3a8a80' },
          })
            .png()
            .toBuffer(),
        });
        await page.getByAltText('Preview of the chosen logo').waitFor();
        await page.getByRole('button', { name: 'Upload logo' }).click();
        await page.getByText('The logo was saved.').waitFor();
        await imageLoaded(page.getByTestId('studio-logo'));
        expect(await page.getByText('512×171 px').count()).toBe(1);
        await screenshot(page, 'desktop-studio');
        await page.getByRole('button', { name: 'Remove logo' }).click();
        await page
          .getByRole('dialog', { name: 'Remove the logo?' })
          .getByRole('button', { name: 'Remove logo' })
          .click();
        await page.getByText('The logo was removed.').waitFor();
        await page.getByText('No logo uploaded').waitFor();

        // Users: the admin adds an operator.
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Users' })
          .click();
        await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
        await page.getByLabel('Username').fill('counter-op');
        await page
          .getByRole('textbox', { name: 'Password', exact: true })
          .fill('counter-password-1');
        await page.getByRole('button', { name: 'Create user' }).click();
        await page.getByText('User counter-op was created.').waitFor();
        await page.getByRole('cell', { name: 'counter-op', exact: true }).waitFor();
        await screenshot(page, 'desktop-users');

        // Log out: back to the login page, and deep links need a login again.
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.getByText('You are logged out.').waitFor();
        await page.goto(`${baseUrl}/admin/orders/${orderId ?? ''}`);
        await page.getByRole('heading', { name: 'Log in to the studio' }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/admin/login');
        expect(new URL(page.url()).searchParams.get('next')).toBe(`/orders/${orderId ?? ''}`);
        const me = await page.evaluate(() =>
          fetch('/api/auth/me').then((response) => response.status),
        );
        expect(me).toBe(401);

        expect(dialogs).toEqual([]);
        expect(pageErrors).toEqual([]);
        expect(foreignRequests).toEqual([]);
        timings.desktopFlowMs = Date.now() - started;
      } finally {
        await context.close();
      }
    },
  );

  it(
    'phone (375×812): login, dashboard, orders, the order, print, clients, users, logout',
    { timeout: 120_000 },
    async () => {
      expect(orderId, 'the desktop flow creates the order').toBeDefined();
      const { context, page } = await openContext(PHONE, true);
      const started = Date.now();
      const nav = page.getByRole('navigation', { name: 'Main' });
      const menu = nav.getByRole('button', { name: 'Menu' });
      const go = async (link: string) => {
        await menu.click();
        await nav.getByRole('link', { name: link, exact: true }).click();
      };
      try {
        await page.goto(`${baseUrl}/admin/`);
        await page.getByRole('heading', { name: 'Log in to the studio' }).waitFor();
        await screenshot(page, 'phone-login');
        await logInAsAdmin(page);
        // The navigation is folded behind the Menu button on a phone.
        expect(await nav.getByRole('link', { name: 'Orders', exact: true }).isVisible()).toBe(
          false,
        );
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        await screenshot(page, 'phone-dashboard');
        await menu.click();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        await screenshot(page, 'phone-menu');
        await nav.getByRole('link', { name: 'Orders', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
        const orderLink = page.locator(`tr[data-order-id="${orderId ?? ''}"] a`).first();
        await orderLink.waitFor();
        expect(await page.locator('img[src="x"]').count()).toBe(0);
        await screenshot(page, 'phone-orders');
        await orderLink.click();
        await waitForReady(page, 30_000);
        await imageLoaded(page.locator('img.qr'));
        await screenshot(page, 'phone-order');
        await page.getByRole('link', { name: 'Print view' }).click();
        await imageLoaded(page.getByTestId('print-qr'));
        await screenshot(page, 'phone-print');
        await page.getByRole('link', { name: 'Back to the portrait' }).click();
        await go('New order');
        await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();
        await screenshot(page, 'phone-new-order');
        await go('Clients');
        await page.getByLabel('Search by name or phone').fill('999 123');
        await page.waitForURL(/\/admin\/clients\?q=999/);
        await page.getByRole('link', { name: XSS_NAME, exact: true }).waitFor();
        await screenshot(page, 'phone-clients');
        await go('Users');
        await page.getByRole('cell', { name: 'counter-op', exact: true }).waitFor();
        await screenshot(page, 'phone-users');
        // No page is wider than the phone.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
        expect(overflow).toBeLessThanOrEqual(PHONE.width);
        await menu.click();
        await nav.getByRole('button', { name: 'Log out' }).click();
        await page.getByText('You are logged out.').waitFor();
        await page.goto(`${baseUrl}/admin/clients`);
        await page.getByRole('heading', { name: 'Log in to the studio' }).waitFor();
        expect(dialogs).toEqual([]);
        expect(pageErrors).toEqual([]);
        timings.phoneFlowMs = Date.now() - started;
      } finally {
        await context.close();
      }
    },
  );

  it(
    'desktop: API keys (created, shown once, copied, revoked) and signing out other sessions',
    { timeout: 120_000 },
    async () => {
      // A user of its own: signing out "other sessions" must not end the other tests' session.
      const owner = await t.createUser('admin');
      const elsewhere = await t.login(owner.username, owner.password);
      const { context, page } = await openContext(DESKTOP, false);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
      const nav = page.getByRole('navigation', { name: 'Main' });
      const clients = (key: string) =>
        t.app.inject({ url: '/api/clients', headers: { authorization: `Bearer ${key}` } });
      try {
        await page.goto(`${baseUrl}/admin/`);
        await logIn(page, owner);
        await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

        await nav.getByRole('link', { name: 'API keys' }).click();
        await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
        await page.getByLabel('Name').fill('n8n import');
        await page.getByRole('button', { name: 'Create key' }).click();
        const shown = page.locator('[data-api-key]');
        await shown.waitFor();
        const key = ((await shown.textContent()) ?? '').trim();
        expect(key).toMatch(/^vxk_[A-Za-z0-9_-]{43}$/);
        expect((await clients(key)).statusCode).toBe(200);
        await page.getByRole('button', { name: 'Copy key' }).click();
        await page.getByText('Copied', { exact: true }).waitFor();
        expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
        await screenshot(page, 'desktop-api-key-created');

        // Shown once: gone when dismissed, and not in the page after a reload either.
        await page.getByRole('button', { name: 'I have copied it' }).click();
        await shown.waitFor({ state: 'detached' });
        await page.reload();
        const row = page.locator('tr[data-api-key-id]', { hasText: 'n8n import' });
        await row.getByText('Active').waitFor();
        expect(await page.content()).not.toContain(key);
        expect(await row.textContent()).toContain(key.slice(0, 12));
        await screenshot(page, 'desktop-api-keys');

        await row.getByRole('button', { name: 'Revoke' }).click();
        const confirm = page.getByRole('dialog', { name: 'Revoke the key “n8n import”?' });
        await confirm.getByRole('button', { name: 'Revoke key' }).click();
        await row.getByText('Revoked').waitFor();
        const revoked = await clients(key);
        expect(revoked.statusCode).toBe(401);

        // The account page lists this browser and the other login; sign the other one out.
        await nav.getByRole('link', { name: 'Account' }).click();
        await page.getByRole('heading', { name: 'Where you are logged in' }).waitFor();
        await page.getByText('This device').waitFor();
        expect(await page.locator('tr[data-session-id]').count()).toBe(2);
        await page.getByRole('button', { name: 'Sign out other sessions' }).click();
        const signOut = page.getByRole('dialog', { name: 'Sign out your other sessions?' });
        await signOut.getByRole('button', { name: 'Sign out others' }).click();
        await page.getByText('1 other session was signed out.').waitFor();
        await expect.poll(() => page.locator('tr[data-session-id]').count()).toBe(1);
        const other = await t.app.inject({ url: '/api/auth/me', headers: bearer(elsewhere) });
        expect(other.statusCode).toBe(401);
        await screenshot(page, 'desktop-account-sessions');
        expect(pageErrors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );
});
