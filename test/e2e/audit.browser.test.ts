import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openAdminPage,
  prepareAdminUi,
  screenshot,
  switchLanguage,
} from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';

const PAGE_SIZE = 25;

/**
 * The admin Audit log page in Chromium against the real server (SQLite + local disk): entries,
 * a filter by action and by user, pages, the chain check (intact, then broken by an edit in the
 * database), in English and in Russian (the browser's language, then the page's switch); an
 * operator sees neither the page nor its link.
 */
describe('admin Audit log page in Chromium', () => {
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
    // More than a page of entries: the operator logs in again and again.
    for (let i = 0; i < PAGE_SIZE + 5; i++) await t.login(operator.username, operator.password);
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  const entryCount = async (action?: string): Promise<number> => {
    let query = t.ctx.database.db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'));
    if (action !== undefined) query = query.where('action', '=', action);
    return (await query.executeTakeFirstOrThrow()).n;
  };

  const open = (locale: string, user: { username: string; password: string }, phone = false) =>
    openAdminPage(browser, `${baseUrl}/admin/audit`, user, { locale, phone, pageErrors });

  const rows = (page: Page) => page.locator('tr[data-audit-seq]');
  /** One attribute of every entry row, top to bottom. */
  async function column(page: Page, attribute: string): Promise<string[]> {
    const found = rows(page);
    const values: string[] = [];
    for (let i = 0; i < (await found.count()); i++) {
      values.push((await found.nth(i).getAttribute(attribute)) ?? '');
    }
    return values;
  }
  const seqs = async (page: Page) => (await column(page, 'data-audit-seq')).map(Number);
  const actions = (page: Page) => column(page, 'data-action');

  it('English: entries, filters, pages and the chain check', async () => {
    const { context, page } = await open('en-US', admin);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(PAGE_SIZE);
    const total = await entryCount();
    expect(await page.getByTestId('audit-count').textContent()).toBe(`${total} entries`);
    const first = await seqs(page);
    expect(first).toEqual([...first].sort((a, b) => b - a));
    const newest = rows(page).first();
    expect(await newest.textContent()).toContain('Logged in');
    expect(await newest.textContent()).toContain(admin.username);
    expect(await newest.textContent()).toContain('127.0.0.1');

    // Page 2 continues where page 1 ended.
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText(`Page 2 of ${Math.ceil(total / PAGE_SIZE)}`).waitFor();
    await expect.poll(async () => (await seqs(page))[0]).toBeLessThan(first.at(-1) ?? 0);

    // By action: back to page 1, only user.create entries.
    await page.getByLabel('Action', { exact: true }).selectOption('user.create');
    await expect
      .poll(() => actions(page))
      .toEqual(Array(await entryCount('user.create')).fill('user.create'));
    expect(page.url()).toContain('action=user.create');
    expect(page.url()).not.toContain('offset=');

    // By user, as typed: the admin's entries only.
    await page.getByLabel('Action', { exact: true }).selectOption('');
    await page.getByLabel('User', { exact: true }).fill(admin.username);
    await expect.poll(() => actions(page)).toEqual(['auth.login']);

    // A time range in the future: nothing; Clear filters shows everything again.
    await page.getByLabel('From', { exact: true }).fill('2099-01-01T00:00');
    await page.getByText('No entries match.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(PAGE_SIZE);
    expect(await page.getByLabel('User', { exact: true }).inputValue()).toBe('');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain(
      `Chain intact: ${await entryCount()} entries checked.`,
    );
    await screenshot(page, 'audit-desktop');
    await context.close();
  });

  it('Russian: the same page in Russian; a row edited in the database breaks the chain', async () => {
    const { context, page } = await open('ru-RU', admin);
    await page.getByRole('heading', { level: 1, name: 'Журнал аудита' }).waitFor();
    expect(
      await page.getByRole('link', { name: 'Журнал аудита' }).getAttribute('aria-current'),
    ).toBe('page');
    await expect.poll(() => rows(page).count()).toBe(PAGE_SIZE);
    expect(await rows(page).first().textContent()).toContain('Вход');

    // An area at once: every sign-in and session action.
    await page.getByLabel('Действие').selectOption('auth.*');
    await expect
      .poll(async () => (await actions(page)).every((a) => a.startsWith('auth.')))
      .toBe(true);
    await page.getByRole('button', { name: 'Вперёд →' }).click();
    const logins = await entryCount('auth.login');
    await page.getByText(`Страница 2 из ${Math.ceil(logins / PAGE_SIZE)}`).waitFor();

    await page.getByRole('button', { name: 'Проверить цепочку' }).click();
    const result = page.getByTestId('audit-verify-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toMatch(/^Цепочка цела: проверено \d+ запис(ь|и|ей)\./);

    const victim = await t.ctx.database.db
      .selectFrom('auditLog')
      .select(['id', 'seq'])
      .orderBy('seq')
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.ctx.database.db
      .updateTable('auditLog')
      .set({ actorIp: '10.6.6.6' })
      .where('id', '=', victim.id)
      .execute();
    await page.getByRole('button', { name: 'Проверить цепочку' }).click();
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    expect(await result.getAttribute('data-broken-seq')).toBe(String(victim.seq));
    const said = (await result.textContent()) ?? '';
    expect(said).toContain(`Цепочка нарушена на записи №${victim.seq}`);
    expect(said).toContain('Её содержимое изменено после записи.');
    expect(said).toContain(victim.id);
    await screenshot(page, 'audit-desktop-ru');

    // The page's own switch: English, and it stays so after a reload.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    // The choice is saved on the account: back to Russian for the phone test's ru-RU browser.
    await switchLanguage(page, 'Русский');
    await page.getByRole('heading', { level: 1, name: 'Журнал аудита' }).waitFor();
    await context.close();
  });

  it('phone (375×812): entries become labelled cards, nothing wider than the screen', async () => {
    const { context, page } = await open('ru-RU', admin, true);
    await page.getByRole('heading', { level: 1, name: 'Журнал аудита' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(PAGE_SIZE);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      375,
    );
    await screenshot(page, 'audit-phone', { fullPage: false });
    await context.close();
  });

  it('is not there for an operator', async () => {
    const { context, page } = await open('en-US', operator);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByText('Only administrators see the audit log.').waitFor();
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await rows(page).count()).toBe(0);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
