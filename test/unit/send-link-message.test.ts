import { describe, expect, it } from 'vitest';
import {
  linkEmail,
  linkMessage,
  LINK_LANGUAGES,
} from '../../src/modules/send-link/link-message.js';
import { buyerMessage, shareLinks } from '../../web/admin/src/components/portrait/buyerMessage.js';

const URL_ = 'https://ar.studio.example/p/k3x9q2';
const CYRILLIC = /[А-Яа-яЁё]/;

describe('the message with the link for the buyer', () => {
  it('is the link and two steps, in Russian', () => {
    expect(linkMessage('ru', URL_)).toBe(
      [
        `Ваш живой портрет: ${URL_}`,
        'Откройте ссылку на телефоне и нажмите «Начать».',
        'Наведите камеру на фотографию — она оживёт.',
      ].join('\n'),
    );
  });

  it('is the link and two steps, in English', () => {
    const message = linkMessage('en', URL_);
    expect(message.split('\n')).toEqual([
      `Your living portrait: ${URL_}`,
      'Open the link on your phone and tap “Start”.',
      'Point the camera at the photo: it comes alive.',
    ]);
    expect(message).not.toMatch(CYRILLIC);
  });

  it.each(LINK_LANGUAGES)('%s: the admin app copies exactly what the server sends', (language) => {
    expect(buyerMessage(language, URL_)).toBe(linkMessage(language, URL_));
  });

  it('fills the share links without loading anything: wa.me, t.me, sms', () => {
    const links = shareLinks('ru', URL_);
    expect(links.whatsapp).toBe(
      `https://wa.me/?text=${encodeURIComponent(linkMessage('ru', URL_))}`,
    );
    const telegram = new URL(links.telegram);
    expect(telegram.origin + telegram.pathname).toBe('https://t.me/share/url');
    expect(telegram.searchParams.get('url')).toBe(URL_);
    expect(telegram.searchParams.get('text')).toContain('нажмите «Начать»');
    expect(telegram.searchParams.get('text')).not.toContain(URL_);
    expect(decodeURIComponent(links.sms.replace(/^sms:\?body=/, ''))).toBe(linkMessage('ru', URL_));
  });
});

describe('the e-mail with the link', () => {
  it('Russian: subject, the link and the steps in both bodies', () => {
    const mail = linkEmail('ru', URL_, 'Светлана');
    expect(mail.subject).toBe('Ваш живой портрет от студии «Светлана»');
    expect(mail.text).toContain(`\n${URL_}\n`);
    expect(mail.text).toContain('1. Откройте ссылку на телефоне и нажмите «Начать».');
    expect(mail.text).toContain('2. Наведите камеру на фотографию — она оживёт.');
    expect(mail.html).toContain('<html lang="ru">');
    expect(mail.html).toContain(`href="${URL_}"`);
    expect(mail.html).toContain('<li style="margin:0 0 6px">Откройте ссылку');
    expect(mail.html).not.toMatch(/<img|<link|<script|src=|url\(|https?:\/\/(?!ar\.studio)/i);
  });

  it('English: no Russian words besides the studio name', () => {
    const mail = linkEmail('en', URL_, 'Studio');
    expect(mail.subject).toBe('Your living portrait from Studio');
    expect(mail.text).toContain('1. Open the link on your phone and tap “Start”.');
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(CYRILLIC);
  });

  it('escapes what it puts into the HTML', () => {
    const mail = linkEmail('en', 'https://ar.example/p/a"b<c', 'Tom & <Jerry>');
    expect(mail.html).toContain('Tom &amp; &lt;Jerry&gt;');
    expect(mail.html).toContain('href="https://ar.example/p/a&quot;b&lt;c"');
    expect(mail.html).not.toContain('<Jerry>');
  });
});
