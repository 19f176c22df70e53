import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

/** The login form of the admin app, filled and sent (English labels). */
export async function logIn(
  page: Page,
  user: { username: string; password: string },
): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
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
  await logIn(page, user);
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
