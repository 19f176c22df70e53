import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdminPage, prepareAdminUi, screenshot } from '../support/admin-browser.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchBrowser } from '../support/browser.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { placeOrder } from '../support/studio.js';

/**
 * Sending the link from the portrait page in Chromium, against the real server and a real SMTP
 * server: "Copy message" puts the link and the two steps on the clipboard in the chosen
 * language, the messenger links carry it, and "Send by e-mail" delivers it (Russian desktop,
 * English 375×812 phone).
 */
describe('sending the link to the client, in Chromium', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser | undefined;
  let operator: { username: string; password: string };
  let portraitId: string;
  let publicUrl: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await prepareAdminUi();
    smtp = await startSmtpServer();
    t = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Studio <noreply@studio.example>',
    });
    operator = await t.createUser('operator');
    const session = await t.login(operator.username, operator.password);
    const order = await placeOrder(t, session, {
      clientName: 'Анна',
      clientPhone: '+7 901 300 00 01',
      clientEmail: 'anna@mail.example',
    });
    portraitId = order.portraitId;
    baseUrl = await t.listen();
    publicUrl = `${t.config.publicBaseUrl}/p/${order.slug}`;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
    await smtp.close();
  });

  async function open(locale: string, phone: boolean) {
    const opened = await openAdminPage(
      browser,
      `${baseUrl}/admin/portraits/${portraitId}`,
      operator,
      {
        locale,
        phone,
        pageErrors,
      },
    );
    await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: baseUrl,
    });
    await opened.page.getByTestId('send-link').waitFor({ timeout: 20_000 });
    return opened;
  }
  const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

  it('Russian desktop: copies the Russian message and e-mails it to the client', async () => {
    const { context, page } = await open('ru-RU', false);
    try {
      const card = page.getByTestId('send-link');
      const expected = [
        `Ваш живой портрет: ${publicUrl}`,
        'Откройте ссылку на телефоне и нажмите «Начать».',
        'Наведите камеру на фотографию — она оживёт.',
      ].join('\n');
      expect(await card.getByLabel('Готовое сообщение для СМС и мессенджеров').inputValue()).toBe(
        expected,
      );
      await card.getByRole('button', { name: 'Скопировать сообщение' }).click();
      await card.getByText('Скопировано').waitFor();
      expect(await clipboard(page)).toBe(expected);
      const whatsapp = await card.getByRole('link', { name: /WhatsApp/ }).getAttribute('href');
      expect(whatsapp).toBe(`https://wa.me/?text=${encodeURIComponent(expected)}`);
      expect(await card.getByRole('link', { name: 'СМС' }).getAttribute('href')).toBe(
        `sms:?body=${encodeURIComponent(expected)}`,
      );

      const email = card.getByLabel('Электронная почта клиента');
      await expect.poll(() => email.inputValue()).toBe('anna@mail.example');
      const before = smtp.messages.length;
      await card.getByRole('button', { name: 'Отправить письмом' }).click();
      await card.getByText('Письмо отправлено на anna@mail.example.').waitFor({ timeout: 20_000 });
      await smtp.waitFor(before + 1);
      const received = smtp.messages[before];
      expect(received?.to).toEqual(['anna@mail.example']);
      expect(received?.mail.subject).toBe('Ваш живой портрет от студии «Vertex AR»');
      expect(received?.mail.text).toContain(publicUrl);
      await screenshot(page, 'send-link-ru');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('English phone: copies the English message, e-mails another address, switches the language', async () => {
    const { context, page } = await open('en-US', true);
    try {
      const card = page.getByTestId('send-link');
      const expected = [
        `Your living portrait: ${publicUrl}`,
        'Open the link on your phone and tap “Start”.',
        'Point the camera at the photo: it comes alive.',
      ].join('\n');
      await card.getByRole('button', { name: 'Copy message' }).click();
      await card.getByText('Copied').waitFor();
      expect(await clipboard(page)).toBe(expected);
      const telegram = new URL(
        (await card.getByRole('link', { name: /Telegram/ }).getAttribute('href')) ?? '',
      );
      expect(telegram.searchParams.get('url')).toBe(publicUrl);

      const before = smtp.messages.length;
      await card.getByLabel('Client’s e-mail').fill('grandma@family.example');
      await card.getByRole('button', { name: 'Send by e-mail' }).click();
      await card.getByText('E-mail sent to grandma@family.example.').waitFor({ timeout: 20_000 });
      await smtp.waitFor(before + 1);
      expect(smtp.messages[before]?.to).toEqual(['grandma@family.example']);
      expect(smtp.messages[before]?.mail.subject).toBe('Your living portrait from Vertex AR');

      // The client may read Russian: the message follows the chooser, not the app's language.
      await card.getByLabel('Language of the message').selectOption('ru');
      expect(await card.getByTestId('link-message').inputValue()).toContain('Ваш живой портрет');
      // Nothing wider than the phone.
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth'),
      ).toBeLessThanOrEqual(375);
      await screenshot(page, 'send-link-en-phone');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it('Russian, no SMTP set up: the e-mail button is disabled with the reason, the message is still there', async () => {
    const plain = await createTestApp({ RATE_LIMIT_ENABLED: 'false' });
    try {
      const user = await plain.createUser('operator');
      const session = await plain.login(user.username, user.password);
      const order = await placeOrder(plain, session, {
        clientName: 'Вера',
        clientPhone: '+7 901 300 00 02',
        clientEmail: 'vera@mail.example',
      });
      const plainUrl = await plain.listen();
      const { context, page } = await openAdminPage(
        browser,
        `${plainUrl}/admin/portraits/${order.portraitId}`,
        user,
        { locale: 'ru-RU', pageErrors },
      );
      try {
        const card = page.getByTestId('send-link');
        const reason = card.getByTestId('mail-not-configured');
        await reason.waitFor({ timeout: 20_000 });
        expect(await reason.textContent()).toContain('SMTP_URL');
        const button = card.getByRole('button', { name: 'Отправить письмом' });
        expect(await button.isDisabled()).toBe(true);
        expect(await button.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));
        expect(await card.getByTestId('link-message').inputValue()).toContain(
          `${plain.config.publicBaseUrl}/p/${order.slug}`,
        );
        expect(pageErrors).toEqual([]);
      } finally {
        await context.close();
      }
    } finally {
      await plain.close();
    }
  });
});
