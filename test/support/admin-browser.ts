import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { defaultAdminUiDir } from '../../src/modules/admin-ui/admin-ui.routes.js';

/** Where the admin browser tests leave their screenshots. */
export const SCREENSHOTS = fileURLToPath(
  new URL('../../test-results/screenshots/', import.meta.url),
);

/** Fails early, and says why, when the admin app was not built; makes the screenshot folder. */
export async function prepareAdminUi(): Promise<void> {
  const index = path.join(defaultAdminUiDir(), 'index.html');
  if (!existsSync(index)) {
    throw new Error(`${index} is missing: build the admin app first (npm run build)`);
  }
  await mkdir(SCREENSHOTS, { recursive: true });
}

/** The login form's words in each language of the admin app. */
const LOGIN_WORDS = {
  en: { username: 'Username', password: 'Password', submit: 'Log in' },
  ru: { username: 'Имя пользователя', password: 'Пароль', submit: 'Войти' },
} as const;

/** The login form of the admin app, filled and sent (English labels unless told). */
export async function logIn(
  page: Page,
  user: { username: string; password: string },
  language: keyof typeof LOGIN_WORDS = 'en',
): Promise<void> {
  const words = LOGIN_WORDS[language];
  await page.getByLabel(words.username).fill(user.username);
  await page.getByLabel(words.password).fill(user.password);
  await page.getByRole('button', { name: words.submit }).click();
}

export interface OpenOptions {
  /** The browser's language (the admin app follows it until the page's switch is used). */
  locale?: string;
  /** 375×812 with touch, as a phone; otherwise a 1280×800 desktop. */
  phone?: boolean;
  /** Collects the page's uncaught errors (the tests expect none). */
  pageErrors: string[];
  /** Runs before the first navigation (request listeners, Playwright's fake clock). */
  beforeGoto?: (page: Page) => Promise<void> | void;
}

/** A new browser context at `url` of the admin app, logged in as `user`. */
export async function openAdminPage(
  browser: Browser | undefined,
  url: string,
  user: { username: string; password: string },
  { locale = 'en-US', phone = false, pageErrors, beforeGoto }: OpenOptions,
): Promise<{ context: BrowserContext; page: Page }> {
  if (browser === undefined) throw new Error('Chromium did not start');
  const context = await browser.newContext({
    locale,
    ...(phone
      ? { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 800 } }),
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await beforeGoto?.(page);
  await page.goto(url);
  // The login page speaks the browser's language.
  await logIn(page, user, locale.toLowerCase().startsWith('ru') ? 'ru' : 'en');
  return { context, page };
}

/** A screenshot (of the whole page unless told) in the screenshot folder. */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/**
 * Clicks the header's language button (`Русский`, `English`) and waits until the choice is
 * saved on the account, so a later browser of the same user starts in it.
 */
export async function switchLanguage(page: Page, name: 'Русский' | 'English'): Promise<void> {
  const saved = page.waitForResponse(
    (response) =>
      response.url().endsWith('/api/auth/me/locale') && response.request().method() === 'PUT',
  );
  await page.getByRole('button', { name }).click();
  expect((await saved).ok()).toBe(true);
}
