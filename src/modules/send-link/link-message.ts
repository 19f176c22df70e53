import { mailHtml, mailText, type MailParts } from '../../infra/mail/index.js';

/**
 * What the buyer is sent with the link to their living portrait, per language: a short
 * message to paste into SMS, WhatsApp or Telegram, and the e-mail. The instruction names the
 * AR page's own button («Начать» / “Start”, `viewer.i18n.ts`), like the printed QR card
 * (`print-card-text.ts`). The admin app builds the same short message
 * (`web/admin/src/components/portrait/sendLinkText.ts`; a unit test keeps the two equal).
 */
export const LINK_LANGUAGES = ['ru', 'en'] as const;
export type LinkLanguage = (typeof LINK_LANGUAGES)[number];

interface LinkWords {
  /** Put before the link on the message's first line. */
  lead: string;
  /** Exactly two steps: open the link, point the phone at the print. */
  steps: readonly [string, string];
  subject: (studio: string) => string;
  greeting: string;
  intro: string;
  button: string;
  footer: (studio: string) => readonly string[];
}

const WORDS: Readonly<Record<LinkLanguage, LinkWords>> = {
  ru: {
    lead: 'Ваш живой портрет:',
    steps: [
      'Откройте ссылку на телефоне и нажмите «Начать».',
      'Наведите камеру на фотографию — она оживёт.',
    ],
    subject: (studio) => `Ваш живой портрет от студии «${studio}»`,
    greeting: 'Здравствуйте!',
    intro: 'Ваша фотография оживает на экране телефона. Откройте её по ссылке:',
    button: 'Открыть живой портрет',
    footer: (studio) => [
      `Письмо отправила студия «${studio}».`,
      'Ссылку можно переслать родным: она откроется на любом телефоне.',
    ],
  },
  en: {
    lead: 'Your living portrait:',
    steps: [
      'Open the link on your phone and tap “Start”.',
      'Point the camera at the photo: it comes alive.',
    ],
    subject: (studio) => `Your living portrait from ${studio}`,
    greeting: 'Hello,',
    intro: 'Your photo comes alive on a phone screen. Open it with this link:',
    button: 'Open the living portrait',
    footer: (studio) => [
      `This e-mail was sent by ${studio}.`,
      'You may forward the link to your family: it opens on any phone.',
    ],
  },
};

/** The link and the two-line instruction, for a messenger or an SMS (no formatting). */
export function linkMessage(language: LinkLanguage, url: string): string {
  const words = WORDS[language];
  return [`${words.lead} ${url}`, ...words.steps].join('\n');
}

export interface LinkEmail {
  subject: string;
  text: string;
  html: string;
}

/** The e-mail with the link: subject, plain text and simple HTML saying the same. */
export function linkEmail(language: LinkLanguage, url: string, studioName: string): LinkEmail {
  const words = WORDS[language];
  const parts: MailParts = {
    language,
    intro: [words.greeting, words.intro],
    link: { url, label: words.button },
    steps: words.steps,
    footer: words.footer(studioName),
  };
  return { subject: words.subject(studioName), text: mailText(parts), html: mailHtml(parts) };
}
