import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import {
  CYRILLIC_WORD,
  foreignWords,
  LATIN_IN_RUSSIAN,
  LATIN_WORD,
} from '../support/page-words.js';
import { placeOrder } from '../support/studio.js';

/**
 * Issue 12 in Chromium: the clients list, a client's page, the new-order form, the orders list
 * and an order's page in Russian (desktop and 375×812) and in English — headings, labels,
 * buttons, status words and dates in the language, the phone typed as `8 (912) 345-67-89`
 * shown as `+7 912 345-67-89`, the portrait named by its client and day, and no word of the
 * other language left. One app and one walk through the pages per run, by the app's own links.
 */

const CLIENT = 'Мария Иванова';
const RU_MONTHS =
  'января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря';
const EN_MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December';
const RU_DATE = `\\d{1,2} (?:${RU_MONTHS}) \\d{4} г\\.`;
const EN_DATE = `\\d{1,2} (?:${EN_MONTHS}) \\d{4}`;

/** What each page is to say, per language. */
const WORDS = {
  ru: {
    locale: 'ru-RU',
    clients: 'Клиенты',
    clientCount: '1 клиент',
    documentTitle: 'Клиенты · Vertex AR, управление',
    date: new RegExp(`^${RU_DATE}$`),
    dateTime: new RegExp(`${RU_DATE}, \\d{1,2}:\\d{2}`),
    portraitName: new RegExp(`^Портрет — ${CLIENT}, ${RU_DATE}$`),
    preparing: 'Готовится',
    newOrderForClient: 'Новый заказ для клиента',
    save: 'Сохранить изменения',
    newOrder: 'Новый заказ',
    prefilled: `Данные клиента «${CLIENT}» уже заполнены.`,
    clientName: 'Имя клиента',
    phone: 'Телефон',
    photo: 'Фото для портрета',
    create: 'Создать заказ',
    choosePhoto: 'Выберите фото для портрета.',
    orders: 'Заказы',
    orderCount: '1 заказ',
    statuses: ['Все', 'Готовится', 'Готово', 'Требует внимания'],
    order: 'Заказ VA-',
    menu: 'Меню',
    foreign: LATIN_WORD,
    // Latin names and abbreviations, and the order number's prefix.
    allowed: [...LATIN_IN_RUSSIAN, 'VA'],
  },
  en: {
    locale: 'en-GB',
    clients: 'Clients',
    clientCount: '1 client',
    documentTitle: 'Clients · Vertex AR admin',
    date: new RegExp(`^${EN_DATE}$`),
    dateTime: new RegExp(`${EN_DATE}, \\d{1,2}:\\d{2}`),
    portraitName: new RegExp(`^Portrait — ${CLIENT}, ${EN_DATE}$`),
    preparing: 'Being prepared',
    newOrderForClient: 'New order for this client',
    save: 'Save changes',
    newOrder: 'New order',
    prefilled: `The client’s details are filled in for ${CLIENT}.`,
    clientName: 'Client name',
    phone: 'Phone',
    photo: 'Portrait photo',
    create: 'Create order',
    choosePhoto: 'Choose the portrait photo.',
    orders: 'Orders',
    orderCount: '1 order',
    statuses: ['All', 'Being prepared', 'Ready', 'Needs attention'],
    order: 'Order VA-',
    menu: 'Menu',
    foreign: CYRILLIC_WORD,
    allowed: [],
  },
} as const;
type Language = keyof typeof WORDS;

describe('clients and orders pages in Russian and English', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let user: { username: string; password: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    // No job runner: the portrait stays "being prepared".
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    user = await t.createUser('operator');
    const session = await t.login(user.username, user.password);
    await placeOrder(t, session, { clientName: CLIENT, clientPhone: '8 (912) 345-67-89' });
    baseUrl = await t.listen();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** Clients → the client → a new order for them → Orders → the order, checked on the way. */
  async function walk(page: Page, language: Language, phone: boolean): Promise<void> {
    const words = WORDS[language];
    const own = new Set<string>([...words.allowed, ...CLIENT.split(' '), user.username]);
    const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
    const expectOnlyOwnLanguage = async (what: string, skip?: string) => {
      const left = await foreignWords(page, {
        foreign: words.foreign,
        allowed: own,
        // The frame (header, menu, HTTPS warning) has its own test.
        root: 'main',
        ...(skip !== undefined ? { skip } : {}),
      });
      expect(left, `${language} ${what}:\n${left.join('\n')}`).toEqual([]);
      if (phone) {
        expect(
          await page.evaluate<number>('document.documentElement.scrollWidth'),
          what,
        ).toBeLessThanOrEqual(375);
      }
      await screenshot(page, `${language}${phone ? '-phone' : ''}-${what.replace(/ /g, '-')}`);
    };

    // The clients list.
    await heading(words.clients).waitFor();
    const row = page.locator('tr[data-client-id]');
    await row.waitFor();
    expect(await row.textContent()).toContain('+7 912 345-67-89');
    expect((await row.locator('td').last().textContent())?.trim()).toMatch(words.date);
    await page.getByText(words.clientCount, { exact: true }).waitFor();
    expect(await page.title()).toBe(words.documentTitle);
    await expectOnlyOwnLanguage('clients');

    // The client: their phone, their portrait by name and day, its status in words.
    await row.getByRole('link', { name: CLIENT }).click();
    await heading(CLIENT).waitFor();
    expect(await page.locator('.subtitle').textContent()).toBe('+7 912 345-67-89');
    expect(await page.getByLabel(words.phone).inputValue()).toBe('+7 912 345-67-89');
    const portrait = page.locator('.portrait-list li');
    expect((await portrait.getByRole('link').textContent())?.trim()).toMatch(words.portraitName);
    await portrait.getByText(words.preparing, { exact: true }).waitFor();
    await page.getByRole('button', { name: words.save }).waitFor();
    await expectOnlyOwnLanguage('client');

    // The new-order form, filled in for the client; sent without files, it says what is missing.
    await page.getByRole('button', { name: words.newOrderForClient }).click();
    await heading(words.newOrder).waitFor();
    await page.getByText(words.prefilled).waitFor();
    expect(await page.getByLabel(words.clientName).inputValue()).toBe(CLIENT);
    expect(await page.getByLabel(words.phone).inputValue()).toBe('+7 912 345-67-89');
    await page.getByRole('button', { name: words.create }).click();
    await page
      .locator('.field-invalid', { hasText: words.photo })
      .getByText(words.choosePhoto)
      .waitFor();
    await expectOnlyOwnLanguage('new order');

    // The orders list: the phone, the date and time, the status and its filter in words.
    const nav = page.getByRole('navigation', { name: language === 'ru' ? 'Главное меню' : 'Main' });
    if (phone) await nav.getByRole('button', { name: words.menu }).click();
    await nav.getByRole('link', { name: words.orders, exact: true }).click();
    await heading(words.orders).waitFor();
    const order = page.locator('tr[data-order-id]');
    await order.waitFor();
    const orderText = (await order.textContent()) ?? '';
    expect(orderText).toContain('+7 912 345-67-89');
    expect(orderText).toMatch(words.dateTime);
    await order.getByText(words.preparing, { exact: true }).waitFor();
    await page.getByText(words.orderCount, { exact: true }).waitFor();
    expect(await page.locator('select[name="status"] option').allTextContents()).toEqual(
      words.statuses,
    );
    await expectOnlyOwnLanguage('orders');

    // The order: number, client, phone, date. The portrait below it has its own test.
    await order.locator('a').first().click();
    await heading(new RegExp(`^${words.order}\\d+$`)).waitFor();
    const subtitle = (await page.locator('.subtitle').textContent()) ?? '';
    expect(subtitle).toContain('+7 912 345-67-89');
    expect(subtitle).toMatch(words.dateTime);
    expect(subtitle).toContain(words.preparing);
    await expectOnlyOwnLanguage('order', '.portrait-view');
  }

  for (const { language, phone } of [
    { language: 'ru', phone: false },
    { language: 'ru', phone: true },
    { language: 'en', phone: false },
  ] as const) {
    it(`reads ${language === 'ru' ? 'Russian' : 'English'}${phone ? ' at 375×812' : ' on a desktop'}`, async () => {
      const { context, page } = await openAdminPage(browser, `${baseUrl}/admin/clients`, user, {
        locale: WORDS[language].locale,
        phone,
        pageErrors,
      });
      try {
        await walk(page, language, phone);
        expect(pageErrors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
