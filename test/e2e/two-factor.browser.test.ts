import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, PIXEL_7 } from '../support/browser.js';
import { ENV_NAME, foreignWords, LATIN_IN_RUSSIAN, LATIN_WORD } from '../support/page-words.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import {
  Authenticator,
  codeInMail,
  readQrCode,
  smallTapTargets,
} from '../support/two-factor-browser.js';

/**
 * Two-factor sign-in in Chromium against the real server (issue 13): the account page enrols
 * the authenticator app from the QR code on the screen (read from a screenshot with jsQR, the
 * codes computed with `otpauth`, as a phone's app would), the login asks for the second step,
 * a code is good once, a backup code works once, a code e-mailed to the in-process SMTP server
 * works; the users page shows who has it and resets it; `REQUIRE_2FA=admins` shows an admin
 * without it nothing but the set-up (on a phone, in Russian). The server's clock is the test's
 * (`TestClock`): each new code moves it on by one 30-second step.
 */

interface Account {
  username: string;
  password: string;
}

describe('two-factor sign-in in the admin app (Chromium)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let baseUrl: string;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    smtp = await startSmtpServer();
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Studio <studio@example.test>',
    });
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    await smtp.close();
  });

  async function newPage(
    options: { locale?: string; phone?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    if (browser === undefined) throw new Error('Chromium did not start');
    const context = await browser.newContext({
      locale: options.locale ?? 'en-US',
      acceptDownloads: true,
      ...(options.phone === true
        ? {
            viewport: { width: PIXEL_7.width, height: PIXEL_7.height },
            screen: { width: PIXEL_7.width, height: PIXEL_7.height },
            deviceScaleFactor: PIXEL_7.deviceScaleFactor,
            isMobile: true,
            hasTouch: true,
          }
        : { viewport: { width: 1280, height: 800 } }),
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/admin/`);
    return { context, page };
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true });

  /**
   * Waits for the app's frame (signed in, on the dashboard or back where the user logged out);
   * on a timeout says what the page shows instead.
   */
  async function signedIn(page: Page): Promise<void> {
    try {
      await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 10_000 });
    } catch (error) {
      const body = (await page.locator('body').innerText()).slice(0, 1500);
      throw new Error(`not signed in; the page says:\n${body}`, { cause: error });
    }
  }

  async function createAccount(role: 'admin' | 'operator', email?: string): Promise<Account> {
    const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-Zq9`;
    await t.ctx.services.usersService.createUser({
      username,
      password,
      role,
      email: email ?? null,
    });
    return { username, password };
  }

  /** The account page's set-up: QR read from the screen, first code, the backup codes. */
  async function enrol(
    page: Page,
    root = 'main',
  ): Promise<{ app: Authenticator; codes: string[] }> {
    const scope = page.locator(root);
    await scope.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const qr = scope.getByTestId('totp-qr');
    await qr.waitFor();
    const app = new Authenticator(await readQrCode(qr), t.clock);
    // The key for typing by hand is the QR code's, in groups of four.
    const shownKey = (await scope.getByTestId('totp-secret').textContent()) ?? '';
    expect(shownKey.replace(/\s/g, '')).toBe(app.secret);
    expect(shownKey).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    await scope.getByRole('textbox', { name: 'Code from the app', exact: true }).fill(app.next());
    await scope.getByRole('button', { name: 'Confirm and turn on' }).click();
    const list = scope.getByTestId('backup-codes');
    await list.waitFor();
    const codes = (await list.locator('li').allTextContents()).map((code) => code.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    return { app, codes };
  }

  async function logOut(page: Page): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Log out' })
      .click();
    await page.getByText('You are logged out.').waitFor();
  }

  /** Password first; the second step's form is then on the screen. */
  async function passwordStep(page: Page, account: Account): Promise<void> {
    await logIn(page, account);
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
  }

  let enrolled: Account & { app: Authenticator; codes: string[] };

  it('enrols from the QR code; password + code signs in; a code is good once; backup codes once', async () => {
    const account = await createAccount('operator', 'anna.petrova@example.test');
    const { context, page } = await newPage();
    try {
      await logIn(page, account);
      await signedIn(page);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Account' })
        .click();
      await heading(page, 'Account').waitFor();
      const card = page.locator('.two-factor-card');
      await card.getByText('Off', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();

      const { app, codes } = await enrol(page, '.two-factor-card');
      enrolled = { ...account, app, codes };
      await card
        .getByText('Save them now: they are shown only this once.', { exact: false })
        .waitFor();
      await screenshot(page, 'two-factor-backup-codes');

      // Download: a text file with every code and the account's name.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        card.getByRole('button', { name: 'Download as a text file' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`vertex-ar-backup-codes-${account.username}.txt`);
      const file = await readFile(await download.path(), 'utf8');
      for (const code of codes) expect(file).toContain(code);
      expect(file).toContain(account.username);

      await card.getByRole('button', { name: 'I have saved the codes' }).click();
      await expect.poll(() => card.getByTestId('backup-codes').count()).toBe(0);
      await card.getByText('On', { exact: true }).waitFor();
      expect(await card.getByTestId('backup-codes-remaining').textContent()).toBe(
        '10 backup codes left out of 10.',
      );
      await screenshot(page, 'two-factor-account-on');

      // Log out; log in: the password, then the code of the app.
      await logOut(page);
      await passwordStep(page, account);
      const codeField = page.getByLabel('Code from the authenticator app');
      expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await codeField.getAttribute('inputmode')).toBe('numeric');
      await screenshot(page, 'two-factor-login-step');
      const code = app.next();
      await codeField.fill(code);
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);

      // The same code again (still in its window): refused, in words, next to the field.
      await logOut(page);
      await passwordStep(page, account);
      await page.getByLabel('Code from the authenticator app').fill(code);
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page
        .getByText('This code is wrong or was already used. Wait for the next code in the app.')
        .waitFor();
      await screenshot(page, 'two-factor-code-reused');

      // A backup code instead: it signs in once.
      await page.getByRole('button', { name: 'Use a backup code' }).click();
      await page.getByLabel('Backup code').fill(codes[0] ?? '');
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);

      await logOut(page);
      await passwordStep(page, account);
      await page.getByRole('button', { name: 'Use a backup code' }).click();
      await page.getByLabel('Backup code').fill(codes[0] ?? '');
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.getByText('This backup code is wrong or was already used.').waitFor();
      await page.getByLabel('Backup code').fill(codes[1] ?? '');
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);

      // Two used: the account page counts the rest.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Account' })
        .click();
      await expect
        .poll(() => card.getByTestId('backup-codes-remaining').textContent())
        .toBe('8 backup codes left out of 10.');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a code sent by e-mail arrives at the SMTP server and signs in', async () => {
    const { context, page } = await newPage();
    try {
      const before = smtp.messages.length;
      await passwordStep(page, enrolled);
      await page.getByRole('button', { name: 'Send me a code by e-mail' }).click();
      // Where it went, masked; the field now takes the e-mailed code.
      const sent = page.getByText(/^We sent a code to \S+@example\.test\. It is valid until /);
      await sent.waitFor();
      expect(await sent.textContent()).not.toContain('anna.petrova@');
      await smtp.waitFor(before + 1);
      const message = smtp.messages[before];
      expect(message?.to).toEqual(['anna.petrova@example.test']);
      await screenshot(page, 'two-factor-email-sent');
      await page.getByLabel('Code from the e-mail').fill(codeInMail(message?.mail.text));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('new backup codes need a code; the old ones stop working', async () => {
    const { context, page } = await newPage();
    try {
      await passwordStep(page, enrolled);
      await page.getByLabel('Code from the authenticator app').fill(enrolled.app.next());
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Account' })
        .click();
      const card = page.locator('.two-factor-card');
      await card.getByRole('heading', { name: 'New backup codes' }).waitFor();
      await card
        .getByRole('textbox', { name: 'Code from the app', exact: true })
        .fill(enrolled.app.next());
      await card.getByRole('button', { name: 'Make new backup codes' }).click();
      const list = card.getByTestId('backup-codes');
      await list.waitFor();
      const fresh = (await list.locator('li').allTextContents()).map((code) => code.trim());
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(enrolled.codes[2]);
      await card.getByRole('button', { name: 'I have saved the codes' }).click();
      await expect
        .poll(() => card.getByTestId('backup-codes-remaining').textContent())
        .toBe('10 backup codes left out of 10.');

      await logOut(page);
      await passwordStep(page, enrolled);
      await page.getByRole('button', { name: 'Use a backup code' }).click();
      await page.getByLabel('Backup code').fill(enrolled.codes[2] ?? '');
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.getByText('This backup code is wrong or was already used.').waitFor();
      await page.getByLabel('Backup code').fill(fresh[0] ?? '');
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);
      enrolled.codes = fresh.slice(1);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an expired second step goes back to the password, saying why', async () => {
    const { context, page } = await newPage();
    try {
      await passwordStep(page, enrolled);
      // Six minutes on the server's clock: the five-minute challenge is gone.
      t.clock.advance(6 * 60 * 1000);
      await page.getByLabel('Code from the authenticator app').fill(enrolled.app.now());
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'The sign-in step expired or was already used. Log in again.' })
        .waitFor();
      await page.getByLabel('Password').waitFor();
      expect(await page.getByRole('heading', { name: 'Confirm it is you' }).count()).toBe(0);
      await screenshot(page, 'two-factor-challenge-expired');
      // Starting again works.
      await passwordStep(page, enrolled);
      await page.getByLabel('Code from the authenticator app').fill(enrolled.app.next());
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await signedIn(page);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the users page shows who has two-factor sign-in; an admin resets it after a confirmation', async () => {
    const admin = await createAccount('admin');
    const { context, page } = await newPage();
    try {
      await logIn(page, admin);
      await signedIn(page);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Users' })
        .click();
      await heading(page, 'Users').waitFor();
      const row = page.locator('tr[data-user-id]', { hasText: enrolled.username });
      const state = row.getByTestId('user-two-factor');
      await expect.poll(() => state.textContent()).toBe('On');
      expect(
        await page
          .locator('tr[data-user-id]', { hasText: admin.username })
          .getByTestId('user-two-factor')
          .textContent(),
      ).toBe('Off');
      await row.getByRole('button', { name: /^Reset two-factor/ }).click();
      const dialog = page.getByRole('dialog', {
        name: `Reset two-factor sign-in of ${enrolled.username}?`,
      });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('in person or by phone');
      await screenshot(page, 'two-factor-reset-dialog', { fullPage: false });
      await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
      await page.getByText(`Two-factor sign-in of ${enrolled.username} was reset.`).waitFor();
      await expect.poll(() => state.textContent()).toBe('Off');
      expect(await row.getByRole('button', { name: /^Reset two-factor/ }).count()).toBe(0);
    } finally {
      await context.close();
    }

    // The user signs in with the password alone now.
    const again = await newPage();
    try {
      await logIn(again.page, enrolled);
      await signedIn(again.page);
      expect(pageErrors).toEqual([]);
    } finally {
      await again.context.close();
    }
  });

  it('turning it off needs the password and a code; then the password alone signs in', async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, enrolled);
      await signedIn(page);
      await page.goto(`${baseUrl}/admin/account`);
      const card = page.locator('.two-factor-card');
      const { app } = await enrol(page, '.two-factor-card');
      await card.getByRole('button', { name: 'I have saved the codes' }).click();
      await card.getByRole('heading', { name: 'Turn off two-factor sign-in' }).waitFor();
      const password = card.getByRole('textbox', { name: 'Current password' });
      const code = card.getByRole('textbox', { name: 'Code from the app or a backup code' });

      await password.fill('not-the-password');
      await code.fill(app.next());
      await card.getByRole('button', { name: 'Turn off', exact: true }).click();
      await card.getByText('This is not your current password.').waitFor();
      await password.fill(enrolled.password);
      await code.fill(app.next());
      await card.getByRole('button', { name: 'Turn off', exact: true }).click();
      await card.getByText('Two-factor sign-in is off.').waitFor();
      await card.getByText('Off', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Set up two-factor sign-in' }).waitFor();

      await logOut(page);
      await logIn(page, enrolled);
      await signedIn(page);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('REQUIRE_2FA=admins in the admin app: enrolment only (phone, Russian)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false', REQUIRE_2FA: 'admins' });
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('an admin without it sees only the set-up until it is confirmed; an operator is not asked', async () => {
    if (browser === undefined) throw new Error('Chromium did not start');
    const admin = await t.createUser('admin', 'studio');
    const operator = await t.createUser('operator', 'counter');
    const context = await browser.newContext({
      locale: 'ru-RU',
      viewport: { width: PIXEL_7.width, height: PIXEL_7.height },
      screen: { width: PIXEL_7.width, height: PIXEL_7.height },
      deviceScaleFactor: PIXEL_7.deviceScaleFactor,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
    try {
      await page.goto(`${baseUrl}/admin/users`);
      await heading('Вход в студию').waitFor();
      expect(await smallTapTargets(page, '.login-card')).toEqual([]);
      await logIn(page, admin, 'ru');
      await heading('Настройте двухфакторный вход').waitFor();
      const card = page.locator('.enrolment-card');
      expect(await card.textContent()).toContain(
        'В вашей студии для этой учётной записи обязателен',
      );
      // No navigation, no other page: only the set-up, whatever the address.
      expect(await page.getByRole('navigation', { name: 'Главное меню' }).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Пользователи' }).count()).toBe(0);
      // The server agrees: everything else is refused for this session.
      const refused = await page.request.get(`${baseUrl}/api/users`);
      expect(refused.status()).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        'two_factor_enrolment_required',
      );
      await page.reload();
      await heading('Настройте двухфакторный вход').waitFor();

      // Russian words only, nothing wider than the phone, fingers' sizes.
      const allowed = new Set([...LATIN_IN_RUSSIAN, admin.username]);
      const check = async (what: string, root = '.enrolment-card') => {
        const left = await foreignWords(page, {
          foreign: LATIN_WORD,
          allowed,
          allowedShape: ENV_NAME,
        });
        expect(left, `untranslated on ${what}:\n${left.join('\n')}`).toEqual([]);
        expect(
          await page.evaluate<number>('document.documentElement.scrollWidth'),
          what,
        ).toBeLessThanOrEqual(PIXEL_7.width);
        expect(await smallTapTargets(page, root), what).toEqual([]);
      };
      await check('the enrolment screen');
      await screenshot(page, 'two-factor-enrolment-ru-phone');

      await card.getByRole('button', { name: 'Настроить двухфакторный вход' }).click();
      const qr = card.getByTestId('totp-qr');
      await qr.waitFor();
      await check('the enrolment screen with the QR code');
      await screenshot(page, 'two-factor-enrolment-qr-ru-phone');
      const app = new Authenticator(await readQrCode(qr), t.clock);
      await card.getByRole('textbox', { name: 'Код из приложения', exact: true }).fill(app.next());
      await card.getByRole('button', { name: 'Подтвердить и включить' }).click();
      await card.getByTestId('backup-codes').waitFor();
      expect(await card.getByTestId('backup-codes').locator('li').count()).toBe(10);
      await check('the backup codes');
      await screenshot(page, 'two-factor-enrolment-codes-ru-phone');
      // Then the page asked for at the start opens, with everything else.
      await card.getByRole('button', { name: 'Перейти к работе' }).click();
      await heading('Пользователи').waitFor();
      expect((await page.request.get(`${baseUrl}/api/users`)).status()).toBe(200);

      // Next time: password, then the code, on the phone, in Russian.
      await page
        .getByRole('navigation', { name: 'Главное меню' })
        .getByRole('button', { name: 'Меню' })
        .click();
      await page
        .getByRole('navigation', { name: 'Главное меню' })
        .getByRole('button', { name: 'Выйти' })
        .click();
      await page.getByText('Вы вышли.').waitFor();
      await logIn(page, admin, 'ru');
      await page.getByRole('heading', { name: 'Подтвердите, что это вы' }).waitFor();
      await check('the second step', '.login-card');
      await screenshot(page, 'two-factor-login-step-ru-phone');
      await page.getByLabel('Код из приложения-аутентификатора').fill(app.next());
      await page.getByRole('button', { name: 'Подтвердить', exact: true }).click();
      await heading('Пользователи').waitFor();

      // The account page with two-factor sign-in on: codes left, new codes, turning it off.
      const nav = page.getByRole('navigation', { name: 'Главное меню' });
      await nav.getByRole('button', { name: 'Меню' }).click();
      await nav.getByRole('link', { name: 'Учётная запись', exact: true }).click();
      const accountCard = page.locator('.two-factor-card');
      await accountCard.getByText('Осталось резервных кодов: 10 из 10.').waitFor();
      expect(await accountCard.textContent()).toContain('обязателен');
      await check('the account page with two-factor sign-in on', '.two-factor-card');
      await screenshot(page, 'two-factor-account-ru-phone');
    } finally {
      await context.close();
    }

    // The policy names admins: an operator signs in with the password alone.
    const other = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
    });
    try {
      const page2 = await other.newPage();
      page2.on('pageerror', (error) => pageErrors.push(error.message));
      await page2.goto(`${baseUrl}/admin/`);
      await page2.getByLabel('Password').waitFor();
      await logIn(page2, operator);
      await page2.getByRole('heading', { level: 1, name: 'Dashboard', exact: true }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
