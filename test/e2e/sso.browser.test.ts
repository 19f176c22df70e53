import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, PIXEL_7 } from '../support/browser.js';
import { ENV_NAME, foreignWords, LATIN_IN_RUSSIAN, LATIN_WORD } from '../support/page-words.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { Authenticator, readQrCode, smallTapTargets } from '../support/two-factor-browser.js';

/**
 * Single sign-on in Chromium (issue 13): a real OpenID Connect provider (oidc-provider, from
 * test/support/oidc-provider.ts, which answers its own login prompt for the identity the test
 * names) and the real server. The login page's provider button goes to the provider and back
 * signed in; with two-factor sign-in on, back to the second step; a refusal comes back as words;
 * the account page links, unlinks and turns the password login off.
 */

/** A free loopback port: the server must listen where `PUBLIC_BASE_URL` (the callback) says. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

describe('single sign-on in the admin app (Chromium, oidc-provider)', () => {
  let t: TestApp;
  let idp: TestOidcProvider;
  let baseUrl: string;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider([`${baseUrl}/api/auth/sso/idp/callback`]);
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      PUBLIC_BASE_URL: baseUrl,
      OIDC_PROVIDERS: JSON.stringify([
        {
          name: 'idp',
          label: 'Studio IdP',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
        },
      ]),
    });
    await t.app.listen({ host: '127.0.0.1', port });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
    await idp.close();
  });

  async function newPage(path = '/admin/'): Promise<{ context: BrowserContext; page: Page }> {
    if (browser === undefined) throw new Error('Chromium did not start');
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}${path}`);
    return { context, page };
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true });
  const providerButton = (page: Page) =>
    page.getByRole('link', { name: 'Sign in with Studio IdP' });

  async function createAccount(email: string) {
    const username = `user-${Math.random().toString(36).slice(2, 8)}`;
    const password = `pw-${Math.random().toString(36).slice(2)}-Zq9`;
    await t.ctx.services.usersService.createUser({ username, password, role: 'operator', email });
    return { username, password, email };
  }

  it('the provider button signs in (linked by a verified e-mail); the account lists the link', async () => {
    const account = await createAccount('lena@example.test');
    idp.signInAs({ sub: 'lena-at-idp', email: account.email, email_verified: true });
    const { context, page } = await newPage();
    try {
      await heading(page, 'Log in to the studio').waitFor();
      await providerButton(page).waitFor();
      await screenshot(page, 'sso-login-page');
      await providerButton(page).click();
      await heading(page, 'Dashboard').waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/');
      expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).toContain(
        account.username,
      );

      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Account' })
        .click();
      const card = page.locator('.sso-card');
      const row = card.locator('tr[data-sso-link="idp"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('Studio IdP');
      expect(await row.textContent()).toContain(account.email);
      await screenshot(page, 'sso-account-linked');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('with two-factor sign-in on, the provider leads to the second step', async () => {
    const account = await createAccount('mira@example.test');
    // Two-factor sign-in set up in the account page first (password login).
    const first = await newPage();
    let app: Authenticator;
    try {
      await logIn(first.page, account);
      await heading(first.page, 'Dashboard').waitFor();
      await first.page.goto(`${baseUrl}/admin/account`);
      const card = first.page.locator('.two-factor-card');
      await card.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      const qr = card.getByTestId('totp-qr');
      await qr.waitFor();
      app = new Authenticator(await readQrCode(qr), t.clock);
      await card.getByRole('textbox', { name: 'Code from the app', exact: true }).fill(app.next());
      await card.getByRole('button', { name: 'Confirm and turn on' }).click();
      await card.getByTestId('backup-codes').waitFor();
    } finally {
      await first.context.close();
    }

    idp.signInAs({ sub: 'mira-at-idp', email: account.email, email_verified: true });
    const { context, page } = await newPage();
    try {
      await providerButton(page).click();
      await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
      const landed = new URL(page.url());
      expect(landed.pathname).toBe('/admin/login');
      expect(landed.searchParams.get('challenge')).toBeTruthy();
      expect(landed.searchParams.get('methods')?.split(',')).toContain('totp');
      // The provider buttons are not offered in the middle of a sign-in.
      expect(await providerButton(page).count()).toBe(0);
      await screenshot(page, 'sso-second-step');
      await page.getByLabel('Code from the authenticator app').fill(app.next());
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await heading(page, 'Dashboard').waitFor();
      expect(new URL(page.url()).search).toBe('');

      // With the password login off, turning two-factor sign-in off takes the code alone.
      await page.goto(`${baseUrl}/admin/account`);
      await page
        .locator('.sso-card')
        .getByRole('button', { name: 'Turn off sign-in with the password' })
        .click();
      await page
        .getByRole('dialog', { name: 'Turn off sign-in with the password?' })
        .getByRole('button', { name: 'Turn off sign-in with the password' })
        .click();
      await page.getByText('Sign-in with the password is off.').waitFor();
      await page.reload();
      const card = page.locator('.two-factor-card');
      await card.getByRole('heading', { name: 'Turn off two-factor sign-in' }).waitFor();
      expect(await card.getByRole('textbox', { name: 'Current password' }).count()).toBe(0);
      await card
        .getByRole('textbox', { name: 'Code from the app or a backup code' })
        .fill(app.next());
      await card.getByRole('button', { name: 'Turn off', exact: true }).click();
      await card.getByText('Two-factor sign-in is off.').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an unverified e-mail never links: back at the login page, said in words', async () => {
    await createAccount('nina@example.test');
    idp.signInAs({ sub: 'nina-at-idp', email: 'nina@example.test', email_verified: false });
    const { context, page } = await newPage();
    try {
      await providerButton(page).click();
      const alert = page.getByRole('alert').filter({ hasText: 'did not work' });
      await alert.waitFor();
      expect(new URL(page.url()).searchParams.get('ssoError')).toBe('sso_email_unverified');
      expect(await alert.locator('.error-code').textContent()).toContain('sso_email_unverified');
      await heading(page, 'Log in to the studio').waitFor();
      await screenshot(page, 'sso-refused');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the account page links the provider, turns the password off, and unlinks', async () => {
    const account = await createAccount('olga@example.test');
    const { context, page } = await newPage();
    try {
      await logIn(page, account);
      await heading(page, 'Dashboard').waitFor();
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Account' })
        .click();
      const card = page.locator('.sso-card');
      await card.getByText('No service is linked yet.').waitFor();
      idp.signInAs({ sub: 'olga-at-idp', email: 'olga.work@example.test', email_verified: true });
      await card.getByRole('button', { name: 'Link Studio IdP' }).click();
      await card.getByText('Studio IdP is linked: you can sign in with it.').waitFor();
      expect(new URL(page.url()).search).toBe('');
      await card.locator('tr[data-sso-link="idp"]').waitFor();

      // Password sign-in off (asked first), then refused at the login page.
      await card.getByRole('button', { name: 'Turn off sign-in with the password' }).click();
      const confirm = page.getByRole('dialog', { name: 'Turn off sign-in with the password?' });
      await confirm.getByRole('button', { name: 'Turn off sign-in with the password' }).click();
      await card.getByText('Sign-in with the password is off.').waitFor();
      await screenshot(page, 'sso-account-password-off');
    } finally {
      await context.close();
    }

    const refused = await newPage();
    try {
      await logIn(refused.page, account);
      await refused.page.getByText('Wrong username or password.').waitFor();
      // The provider still signs in; from there, unlink is refused while it is the only way in.
      await providerButton(refused.page).click();
      await heading(refused.page, 'Dashboard').waitFor();
      await refused.page.goto(`${baseUrl}/admin/account`);
      const card = refused.page.locator('.sso-card');
      await card.getByRole('button', { name: /^Unlink/ }).click();
      const dialog = refused.page.getByRole('dialog', { name: 'Unlink Studio IdP?' });
      await dialog.getByRole('button', { name: 'Unlink', exact: true }).click();
      await dialog.getByRole('alert').waitFor();
      expect(await dialog.getByRole('alert').textContent()).toContain('sso_last_sign_in_method');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await card.getByRole('button', { name: 'Turn on sign-in with the password' }).click();
      await card.getByText('Sign-in with the password is on.').waitFor();
      await card.getByRole('button', { name: /^Unlink/ }).click();
      await dialog.getByRole('button', { name: 'Unlink', exact: true }).click();
      await card.getByText('Studio IdP is unlinked.').waitFor();
      await card.getByText('No service is linked yet.').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await refused.context.close();
    }
  });

  it('in Russian on a phone: the provider button and the linked services, all in Russian', async () => {
    if (browser === undefined) throw new Error('Chromium did not start');
    const account = await createAccount('vera@example.test');
    idp.signInAs({ sub: 'vera-at-idp', email: account.email, email_verified: true });
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
    const allowed = new Set([...LATIN_IN_RUSSIAN, 'Studio', 'IdP']);
    const check = async (what: string, root: string) => {
      const left = await foreignWords(page, {
        root,
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
    try {
      await page.goto(`${baseUrl}/admin/`);
      const button = page.getByRole('link', { name: 'Войти через Studio IdP' });
      await button.waitFor();
      await check('the login page', '.login-card');
      await screenshot(page, 'sso-login-ru-phone');
      await button.tap();
      await heading(page, 'Главная').waitFor();
      await page.goto(`${baseUrl}/admin/account`);
      await heading(page, 'Учётная запись').waitFor();
      const card = page.locator('.sso-card');
      await card.locator('tr[data-sso-link="idp"]').waitFor();
      await check('the linked services', '.sso-card');
      await screenshot(page, 'sso-account-ru-phone');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
