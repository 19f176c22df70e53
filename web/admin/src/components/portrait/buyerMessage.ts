/**
 * The message for the buyer: the public link and a two-line instruction, in each language the
 * buyer may read. The same words as the server's e-mail (`src/modules/send-link/link-message.ts`);
 * test/unit/send-link-message.test.ts keeps the two equal. Self-contained (no import of
 * i18n.ts) so that test compiles it under Node.
 */

/** The admin app's languages (`Locale` of i18n.ts). */
type Locale = 'ru' | 'en';

export interface BuyerMessage {
  lead: string;
  steps: readonly [string, string];
}

export const BUYER_MESSAGE: Readonly<Record<Locale, BuyerMessage>> = {
  ru: {
    lead: 'Ваш живой портрет:',
    steps: [
      'Откройте ссылку на телефоне и нажмите «Начать».',
      'Наведите камеру на фотографию — она оживёт.',
    ],
  },
  en: {
    lead: 'Your living portrait:',
    steps: [
      'Open the link on your phone and tap “Start”.',
      'Point the camera at the photo: it comes alive.',
    ],
  },
};

/** The link and the two-line instruction, ready for SMS, WhatsApp or Telegram. */
export function buyerMessage(locale: Locale, url: string): string {
  const words = BUYER_MESSAGE[locale];
  return [`${words.lead} ${url}`, ...words.steps].join('\n');
}

/** Links that open a messenger (or the phone's SMS app) with the message filled in. */
export function shareLinks(
  locale: Locale,
  url: string,
): { whatsapp: string; telegram: string; sms: string } {
  const message = buyerMessage(locale, url);
  return {
    whatsapp: `https://wa.me/?text=${encodeURIComponent(message)}`,
    // Telegram puts the link first itself: the text is the instruction only.
    telegram: `https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(BUYER_MESSAGE[locale].steps.join('\n'))}`,
    sms: `sms:?body=${encodeURIComponent(message)}`,
  };
}
