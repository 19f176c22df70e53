import { useLocale, type Locale } from '../../i18n';

/** The words of the public link and of sending it to the client (`PublicLink`, `SendLinkCard`). */
const EN = {
  publicLinkLabel: 'Public link (the QR code opens it)',
  open: 'Open',
  newTab: ' (new tab)',
  title: 'Send the link to the client',
  language: 'Language of the message',
  languageNames: { ru: 'Russian', en: 'English' } as Readonly<Record<Locale, string>>,
  message: 'Message for SMS, WhatsApp or Telegram',
  copyMessage: 'Copy message',
  shareIn: 'Send in',
  sms: 'SMS',
  emailLabel: 'Client’s e-mail',
  emailHint: 'The e-mail has the link and the same two steps.',
  noClientEmail: 'The client has no e-mail on record: type an address.',
  send: 'Send by e-mail',
  sending: 'Sending…',
  sent: (to: string) => `E-mail sent to ${to}.`,
  notConfigured: 'E-mail is not set up on the server (SMTP_URL): copy the message instead.',
  failed: 'The e-mail was not sent:',
};

export type SendLinkText = typeof EN;

const RU: SendLinkText = {
  publicLinkLabel: 'Публичная ссылка (её открывает QR-код)',
  open: 'Открыть',
  newTab: ' (в новой вкладке)',
  title: 'Отправить ссылку клиенту',
  language: 'Язык сообщения',
  languageNames: { ru: 'Русский', en: 'Английский' },
  message: 'Готовое сообщение для СМС и мессенджеров',
  copyMessage: 'Скопировать сообщение',
  shareIn: 'Отправить в',
  sms: 'СМС',
  emailLabel: 'Электронная почта клиента',
  emailHint: 'В письме та же ссылка и те же два шага.',
  noClientEmail: 'У клиента нет почты в карточке: впишите адрес.',
  send: 'Отправить письмом',
  sending: 'Отправка…',
  sent: (to) => `Письмо отправлено на ${to}.`,
  notConfigured: 'Отправка писем не настроена на сервере (SMTP_URL): скопируйте сообщение.',
  failed: 'Письмо не отправлено:',
};

const TEXTS: Readonly<Record<Locale, SendLinkText>> = { en: EN, ru: RU };

export function useSendLinkText(): SendLinkText {
  return TEXTS[useLocale()];
}
