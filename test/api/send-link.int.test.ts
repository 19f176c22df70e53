import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type LoggedIn, type TestApp } from '../support/app.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { placeOrder, type OrderIds } from '../support/studio.js';

/**
 * `POST /api/portraits/{id}/send-link` against a real SMTP server (smtp-server on loopback,
 * with AUTH), each message parsed back with mailparser: who it went to, its language, the link
 * in both bodies; the server's refusal answered 502 and not audited; no SMTP set up: 409.
 */
describe('e-mailing the public link', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let operator: LoggedIn;
  let withEmail: OrderIds;
  let withoutEmail: OrderIds;
  let logDir: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    logDir = mkdtempSync(path.join(os.tmpdir(), 'vertex-send-link-logs-'));
    t = await createTestApp({
      // Errors (the 502 below) go to a file the test reads: no password, no address in it.
      LOG_LEVEL: 'error',
      LOG_FILE: path.join(logDir, 'app.log'),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Фотостудия <noreply@studio.example>',
      STUDIO_NAME: 'Светлана',
    });
    await t.app.ready();
    operator = await t.loginAs('operator');
    withEmail = await placeOrder(t, operator, {
      clientName: 'Анна Петрова',
      clientPhone: '+7 912 345-67-01',
      clientEmail: 'anna.petrova@mail.example',
    });
    withoutEmail = await placeOrder(t, operator, {
      clientName: 'Борис',
      clientPhone: '+7 912 345-67-02',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  const sendLink = (portraitId: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/portraits/${portraitId}/send-link`,
      headers: { ...bearer(operator), ...headers },
      payload,
    });
  const sentEntries = () =>
    t.ctx.database.db
      .selectFrom('auditLog')
      .select(['actorUserId', 'targetId', 'details'])
      .where('action', '=', 'portrait.link.send')
      .orderBy('seq')
      .execute();
  /** Every log file (pino-roll names them `app.<date>.<n>.log`), once the line has arrived. */
  async function readLog(): Promise<string> {
    const read = () =>
      readdirSync(logDir)
        .map((name) => readFileSync(path.join(logDir, name), 'utf8'))
        .join('');
    for (let i = 0; i < 50 && !read().includes('mail_send_failed'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return read();
  }
  const publicUrl = (ids: OrderIds) => `${t.config.publicBaseUrl}/p/${ids.slug}`;

  it('tells the admin app that e-mail is set up', async () => {
    const info = await t.app.inject({ url: '/api/system/info', headers: bearer(operator) });
    expect(info.json()).toMatchObject({ mailConfigured: true });
  });

  it("sends the Russian message to the client's e-mail and records it without the address", async () => {
    const before = smtp.messages.length;
    const response = await sendLink(withEmail.portraitId, {});
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      to: 'anna.petrova@mail.example',
      locale: 'ru',
      toClient: true,
    });
    await smtp.waitFor(before + 1);
    const received = smtp.messages[before];
    expect(received?.to).toEqual(['anna.petrova@mail.example']);
    const mail = received?.mail;
    expect(mail?.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(
      'anna.petrova@mail.example',
    );
    expect(mail?.from?.value[0]).toMatchObject({
      address: 'noreply@studio.example',
      name: 'Фотостудия',
    });
    expect(mail?.subject).toBe('Ваш живой портрет от студии «Светлана»');
    expect(mail?.text).toContain(publicUrl(withEmail));
    expect(mail?.text).toContain('Откройте ссылку на телефоне и нажмите «Начать».');
    expect(mail?.text).toContain('Наведите камеру на фотографию — она оживёт.');
    const html = typeof mail?.html === 'string' ? mail.html : '';
    expect(html).toContain(`href="${publicUrl(withEmail)}"`);
    expect(html).toContain('<html lang="ru">');
    // Nothing fetched from elsewhere when the message is opened.
    expect(html).not.toMatch(/<img|<link|<script|src=|url\(/i);
    expect(mail?.headers.get('content-language')).toBe('ru');

    const entries = await sentEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorUserId: operator.userId,
      targetId: withEmail.portraitId,
    });
    expect(JSON.parse(entries[0]?.details ?? '{}')).toEqual({
      clientId: withEmail.clientId,
      channel: 'email',
      language: 'ru',
      toClient: true,
      recipientDomain: 'mail.example',
    });
    expect(entries[0]?.details).not.toContain('anna.petrova');
  });

  it("sends English with locale 'en' to another address; the default follows the sender's language", async () => {
    const before = smtp.messages.length;
    const response = await sendLink(withoutEmail.portraitId, {
      email: 'Boris@Family.example',
      locale: 'en',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ to: 'Boris@Family.example', locale: 'en', toClient: false });
    await smtp.waitFor(before + 1);
    const mail = smtp.messages[before]?.mail;
    expect(mail?.subject).toBe('Your living portrait from Светлана');
    expect(mail?.text).toContain(publicUrl(withoutEmail));
    expect(mail?.text).toContain('Open the link on your phone and tap “Start”.');
    expect(mail?.text).toContain('Point the camera at the photo: it comes alive.');

    // No locale: the sender's browser language (nothing saved on the account).
    const english = await sendLink(
      withEmail.portraitId,
      { email: 'someone@family.example' },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(english.json()).toMatchObject({ locale: 'en' });
    await smtp.waitFor(before + 2);
    expect(smtp.messages[before + 1]?.mail.subject).toBe('Your living portrait from Светлана');
    const entries = await sentEntries();
    expect(JSON.parse(entries.at(-2)?.details ?? '{}')).toMatchObject({
      toClient: false,
      recipientDomain: 'family.example',
      language: 'en',
    });
  });

  it('answers 502 mail_send_failed when the server refuses, says nothing secret, records nothing', async () => {
    const entriesBefore = (await sentEntries()).length;
    const messagesBefore = smtp.messages.length;
    smtp.rejectRecipients(true);
    try {
      const response = await sendLink(withEmail.portraitId, {});
      expect(response.statusCode, response.body).toBe(502);
      expect(response.json()).toMatchObject({
        error: { code: 'mail_send_failed', details: { stage: 'recipient', smtpCode: 550 } },
      });
      expect(response.body).not.toContain(smtp.password);
      expect(response.body).not.toContain('anna.petrova');
    } finally {
      smtp.rejectRecipients(false);
    }
    expect(await sentEntries()).toHaveLength(entriesBefore);
    expect(smtp.messages).toHaveLength(messagesBefore);
    // The failure is logged (an operator can see why), without the secret or the address.
    const log = await readLog();
    expect(log).toContain('mail_send_failed');
    expect(log).not.toContain(smtp.password);
    expect(log).not.toContain('anna.petrova');
  });

  it('refuses a client without e-mail (422), a bad address (400) and an unknown portrait (404)', async () => {
    const entriesBefore = (await sentEntries()).length;
    const missing = await sendLink(withoutEmail.portraitId, {});
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({ error: { code: 'client_email_missing' } });
    const bad = await sendLink(withEmail.portraitId, { email: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const badLocale = await sendLink(withEmail.portraitId, { locale: 'de' });
    expect(badLocale.statusCode).toBe(400);
    const unknown = await sendLink('01900000-0000-7000-8000-000000000000', {});
    expect(unknown.statusCode).toBe(404);
    expect(await sentEntries()).toHaveLength(entriesBefore);
  });

  it('answers 409 mail_not_configured without SMTP_URL, and says so in /api/system/info', async () => {
    const plain = await createTestApp();
    try {
      const session = await plain.loginAs('operator');
      const order = await placeOrder(plain, session, {
        clientName: 'Вера',
        clientPhone: '+7 912 345-67-03',
        clientEmail: 'vera@mail.example',
      });
      const response = await plain.app.inject({
        method: 'POST',
        url: `/api/portraits/${order.portraitId}/send-link`,
        headers: bearer(session),
        payload: {},
      });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'mail_not_configured' } });
      const info = await plain.app.inject({ url: '/api/system/info', headers: bearer(session) });
      expect(info.json()).toMatchObject({ mailConfigured: false });
      const entries = await plain.ctx.database.db
        .selectFrom('auditLog')
        .select('id')
        .where('action', '=', 'portrait.link.send')
        .execute();
      expect(entries).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
