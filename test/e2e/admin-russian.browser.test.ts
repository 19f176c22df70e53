import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, prepareAdminUi, screenshot, switchLanguage } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { BACKUP_PASSPHRASE } from '../support/backup.js';
import { launchBrowser } from '../support/browser.js';
import { ENV_NAME, foreignWords, LATIN_IN_RUSSIAN, LATIN_WORD } from '../support/page-words.js';
import { placeOrder } from '../support/studio.js';

/**
 * The admin app in Russian (a browser set to ru-RU), at 1280×800 and at 375×812: the login,
 * the frame and every page translated so far, each checked for words left in English — in
 * the text, in `aria-label`, `title`, `placeholder`, `alt` and the phone's card labels
 * (`data-label`). Codes shown on purpose (`code`, `.code`, `translate="no"`: keys, commands,
 * order numbers, user agents), addresses and `LATIN_IN_RUSSIAN` (test/support/page-words.ts) are the only Latin allowed.
 */

const MONTHS = 'января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря';
const RUSSIAN_DATE = new RegExp(`^\\d{1,2} (${MONTHS}) \\d{4} г\\.$`);
const RUSSIAN_DATE_TIME = new RegExp(`\\d{1,2} (${MONTHS}) \\d{4} г\\., \\d{1,2}:\\d{2}`);

describe('admin web app in Russian', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let backupDir: string;
  let admin: { username: string; password: string };
  const pageErrors: string[] = [];
  /** The test's own data, Latin on purpose. */
  let ownWords: Set<string>;

  beforeAll(async () => {
    await prepareAdminUi();
    backupDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-ru-e2e-'));
    // Backups set up, so their page shows its schedule and destination; no job runner: the
    // order stays "being prepared", which is what the dashboard is to say.
    t = await createTestApp({
      BACKUP_DIR: backupDir,
      BACKUP_PASSPHRASE,
      BACKUP_SCHEDULE: '0 3 * * *',
    });
    baseUrl = await t.listen();
    admin = await t.createUser('admin', 'studio');
    await t.createUser('operator', 'counter');
    const session = await t.login(admin.username, admin.password);
    await placeOrder(t, session, { clientName: 'Анна Петрова', clientPhone: '+7 999 123-45-67' });
    // Two more logins of the admin elsewhere: "other sessions" to sign out, a plural to read.
    await t.login(admin.username, admin.password);
    ownWords = new Set([admin.username, 'counter']);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    rmSync(backupDir, { recursive: true, force: true });
  });

  /** Fails with every Latin word outside the allow-list, and where it was. */
  async function expectRussianOnly(page: Page, what: string): Promise<void> {
    const untranslated = await foreignWords(page, {
      foreign: LATIN_WORD,
      allowed: new Set([...LATIN_IN_RUSSIAN, ...ownWords]),
      allowedShape: ENV_NAME,
    });
    expect(untranslated, `untranslated on ${what}:\n${untranslated.join('\n')}`).toEqual([]);
  }

  async function openRussian(phone: boolean): Promise<{ context: BrowserContext; page: Page }> {
    if (browser === undefined) throw new Error('Chromium did not start');
    const context = await browser.newContext({
      locale: 'ru-RU',
      ...(phone
        ? { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }
        : { viewport: { width: 1280, height: 800 } }),
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page };
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true });

  /** The pages of the navigation, by link and the heading each opens with. */
  const PAGES = [
    { link: 'Главная', title: 'Главная', shot: 'dashboard' },
    { link: 'Студия', title: 'Студия', shot: 'studio' },
    { link: 'Пользователи', title: 'Пользователи', shot: 'users' },
    { link: 'Резервные копии', title: 'Резервные копии', shot: 'backups' },
    { link: 'API-ключи', title: 'API-ключи', shot: 'api-keys' },
    { link: 'Учётная запись', title: 'Учётная запись', shot: 'account' },
  ];

  it('desktop: login, every translated page, dates and plurals, the switch', async () => {
    const { context, page } = await openRussian(false);
    const nav = page.getByRole('navigation', { name: 'Главное меню' });
    try {
      await page.goto(`${baseUrl}/admin/`);
      await heading(page, 'Вход в студию').waitFor();
      await expectRussianOnly(page, 'the login page');
      await screenshot(page, 'ru-login');
      await logIn(page, admin, 'ru');
      await heading(page, 'Главная').waitFor();

      // The dashboard in plain words: the new order is being prepared, nothing needs attention.
      const work = page.locator('section[aria-labelledby="work-heading"]');
      await expect.poll(() => work.textContent()).toContain('Портреты готовятся');
      expect(await work.textContent()).toContain('Портреты требуют внимания');
      expect(await work.textContent()).not.toMatch(/очеред|задач/i);
      const recent = page.locator('.recent-orders li').first();
      await recent.waitFor();
      expect(await recent.textContent()).toContain('Анна Петрова');
      expect(await recent.textContent()).toMatch(RUSSIAN_DATE_TIME);
      expect(await recent.getByText('Готовится').count()).toBe(1);
      // 0 views: the "many" form.
      expect(await page.locator('.stat-note').first().textContent()).toBe(
        '0 просмотров за последние 7 дней',
      );
      // PUBLIC_BASE_URL is http:// here: the warning, in Russian only.
      const banner = (await page.getByTestId('https-warning-banner').textContent()) ?? '';
      expect(banner).toContain('телефоны открывают камеру только по HTTPS');
      expect(banner).not.toContain('QR codes printed now');
      await expectRussianOnly(page, 'the dashboard');
      await screenshot(page, 'ru-dashboard');

      for (const { link, title, shot } of PAGES.slice(1)) {
        await nav.getByRole('link', { name: link, exact: true }).click();
        await heading(page, title).waitFor();
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        await expectRussianOnly(page, title);
        await screenshot(page, `ru-${shot}`);
      }

      // Users: the creation date in Russian.
      await nav.getByRole('link', { name: 'Пользователи', exact: true }).click();
      const since = page.getByTestId('user-since').first();
      await since.waitFor();
      expect((await since.textContent())?.trim()).toMatch(RUSSIAN_DATE);

      // An API key made in Russian: the notice, the table, the confirm dialog.
      await nav.getByRole('link', { name: 'API-ключи', exact: true }).click();
      await page.getByLabel('Название').fill('Заказы с сайта');
      await page.getByRole('button', { name: 'Создать ключ' }).click();
      await page
        .getByRole('heading', { name: 'Скопируйте ключ «Заказы с сайта» сейчас' })
        .waitFor();
      const row = page.locator('tr[data-api-key-id]', { hasText: 'Заказы с сайта' });
      await row.getByText('Действует').waitFor();
      await row.getByRole('button', { name: /^Отозвать/ }).click();
      const revoke = page.getByRole('dialog', { name: 'Отозвать ключ «Заказы с сайта»?' });
      await revoke.waitFor();
      await expectRussianOnly(page, 'API keys with a new key and the revoke dialog');
      await screenshot(page, 'ru-api-key-revoke', { fullPage: false });
      await revoke.getByRole('button', { name: 'Отозвать ключ' }).click();
      await row.getByText('Отозван').waitFor();

      // Account: two other sessions ("few" form), signed out.
      await nav.getByRole('link', { name: 'Учётная запись', exact: true }).click();
      await expect.poll(() => page.locator('tr[data-session-id]').count()).toBe(3);
      await page.getByRole('button', { name: 'Завершить другие сеансы' }).click();
      const signOut = page.getByRole('dialog', { name: 'Завершить другие сеансы?' });
      expect(await signOut.textContent()).toContain('На 2 других устройствах');
      await signOut.getByRole('button', { name: 'Завершить другие' }).click();
      await page.getByText('Завершено 2 других сеанса.').waitFor();

      // The session ends while the app is open: the dialog asks again, in Russian.
      await context.clearCookies();
      await nav.getByRole('link', { name: 'Главная', exact: true }).click();
      const relogin = page.getByRole('dialog', { name: 'Войдите снова' });
      await relogin.waitFor();
      await expect.poll(() => relogin.textContent()).toContain('Сеанс истёк');
      await expectRussianOnly(page, 'the session-expired dialog');
      await screenshot(page, 'ru-session-expired', { fullPage: false });
      await relogin.getByLabel('Пароль').fill(admin.password);
      await relogin.getByRole('button', { name: 'Войти' }).click();
      await relogin.waitFor({ state: 'hidden' });

      await page.goto(`${baseUrl}/admin/no-such-page`);
      await heading(page, 'Страница не найдена').waitFor();
      await expectRussianOnly(page, 'the not-found page');

      // The switch in the header: English everywhere, then back; the choice is kept.
      await switchLanguage(page, 'English');
      await heading(page, 'Page not found').waitFor();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Users' })
        .click();
      await heading(page, 'Users').waitFor();
      await page.reload();
      await heading(page, 'Users').waitFor();
      await switchLanguage(page, 'Русский');
      await heading(page, 'Пользователи').waitFor();

      await nav.getByRole('button', { name: 'Выйти' }).click();
      await page.getByText('Вы вышли.').waitFor();
      await expectRussianOnly(page, 'the login page after logging out');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('phone (375×812): the menu and every translated page, nothing wider than the screen', async () => {
    const { context, page } = await openRussian(true);
    const nav = page.getByRole('navigation', { name: 'Главное меню' });
    const menu = nav.getByRole('button', { name: 'Меню' });
    try {
      await page.goto(`${baseUrl}/admin/`);
      await logIn(page, admin, 'ru');
      await heading(page, 'Главная').waitFor();
      await menu.click();
      await expectRussianOnly(page, 'the phone menu');
      await screenshot(page, 'ru-phone-menu', { fullPage: false });
      await menu.click();
      for (const { link, title, shot } of PAGES) {
        // A link to the page already shown leaves the menu open.
        if ((await menu.getAttribute('aria-expanded')) === 'false') await menu.click();
        await nav.getByRole('link', { name: link, exact: true }).click();
        await heading(page, title).waitFor();
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        await expectRussianOnly(page, `${title} on a phone`);
        expect(
          await page.evaluate<number>('document.documentElement.scrollWidth'),
          title,
        ).toBeLessThanOrEqual(375);
        await screenshot(page, `ru-phone-${shot}`);
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('can fail: an English word left on a page is reported', async () => {
    const { context, page } = await openRussian(false);
    try {
      await page.goto(`${baseUrl}/admin/`);
      await heading(page, 'Вход в студию').waitFor();
      await page.evaluate(
        `document.body.append(Object.assign(document.createElement('button'), { ariaLabel: 'Delete' }))`,
      );
      await expect(expectRussianOnly(page, 'a planted word')).rejects.toThrow(/"Delete"/);
    } finally {
      await context.close();
    }
  });
});
