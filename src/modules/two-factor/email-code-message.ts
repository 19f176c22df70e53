import { mailHtml, mailText, type MailParts } from '../../infra/mail/index.js';
import type { UserLocale } from '../../infra/db/schema.js';

interface CodeWords {
  subject: (studio: string) => string;
  intro: (code: string, minutes: number) => readonly string[];
  footer: readonly string[];
}

const WORDS: Readonly<Record<UserLocale, CodeWords>> = {
  ru: {
    subject: (studio) => `Код для входа: ${studio}`,
    intro: (code, minutes) => [
      'Здравствуйте!',
      `Ваш код для входа в панель управления: ${code}`,
      `Код действует ${minutes} минут и подходит один раз.`,
    ],
    footer: [
      'Если вы не входили в систему, кто-то знает ваш пароль: смените его и сообщите администратору.',
      'Никому не сообщайте этот код.',
    ],
  },
  en: {
    subject: (studio) => `Your sign-in code: ${studio}`,
    intro: (code, minutes) => [
      'Hello,',
      `Your code to sign in to the admin app: ${code}`,
      `It is valid for ${minutes} minutes and works once.`,
    ],
    footer: [
      'If you did not try to sign in, someone knows your password: change it and tell your administrator.',
      'Never share this code with anyone.',
    ],
  },
};

/** The e-mail with a one-time sign-in code, in the account's language. */
export function emailCodeMessage(
  locale: UserLocale,
  code: string,
  validMinutes: number,
  studioName: string,
): { subject: string; text: string; html: string } {
  const words = WORDS[locale];
  const parts: MailParts = {
    language: locale,
    intro: words.intro(code, validMinutes),
    footer: words.footer,
  };
  return { subject: words.subject(studioName), text: mailText(parts), html: mailHtml(parts) };
}
