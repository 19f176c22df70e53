/**
 * The words printed on the buyer's QR card, per language. The second line names the AR page's
 * own button ("Начать" / "Start", `viewer.i18n.ts`), so the card and the page agree.
 */
export const PRINT_LANGUAGES = ['ru', 'en'] as const;
export type PrintLanguage = (typeof PRINT_LANGUAGES)[number];

export interface PrintCardText {
  title: string;
  /** Exactly two steps: what the buyer does with the card, then with the photo. */
  steps: readonly [string, string];
  /** The small line on the portrait sheet's margin, for the print shop. */
  sheetLine: (format: string, sizeMm: string) => string;
  cardLine: string;
}

export const PRINT_CARD_TEXT: Readonly<Record<PrintLanguage, PrintCardText>> = {
  ru: {
    title: 'Живой портрет',
    steps: [
      'Отсканируйте QR-код камерой телефона и откройте ссылку.',
      'Нажмите «Начать» и наведите телефон на фотографию — она оживёт.',
    ],
    sheetLine: (format, sizeMm) =>
      `Vertex AR · формат ${format} · обрез ${sizeMm} мм · вылет 3 мм · печатать в масштабе 100 %`,
    cardLine: 'Vertex AR · карточка 90×50 мм · вылет 3 мм',
  },
  en: {
    title: 'Your living portrait',
    steps: [
      'Scan the QR code with your phone’s camera and open the link.',
      'Tap “Start” and point the phone at the photo: it comes alive.',
    ],
    sheetLine: (format, sizeMm) =>
      `Vertex AR · format ${format} · trim ${sizeMm} mm · bleed 3 mm · print at 100 % scale`,
    cardLine: 'Vertex AR · card 90×50 mm · bleed 3 mm',
  },
};
