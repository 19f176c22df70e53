import { useMemo } from 'react';
import { localeTag, useLocale, type Locale } from '../../i18n';

const EN = {
  documentTitle: 'Print view',
  back: '← Back to the portrait',
  print: 'Print this sheet',
  loading: 'Loading the portrait',
  options: 'Print-ready PDF',
  format: 'Print size',
  custom: 'Custom size (mm)',
  widthMm: 'Width, mm',
  heightMm: 'Height, mm',
  customHint: (min: number, max: number) => `From ${min} to ${max} mm on each side.`,
  customInvalid: (min: number, max: number) => `Enter a size from ${min} to ${max} mm.`,
  cardLanguage: 'Language of the QR card',
  languages: { ru: 'Russian', en: 'English' } as Record<Locale, string>,
  download: 'Download PDF',
  pdfHint:
    'The PDF has the photo at full resolution with 3 mm bleed and crop marks, and a 90×50 mm ' +
    'card with the QR code. Print it at 100 % scale.',
  printSize: (w: string, h: string) =>
    `Printed portrait: ${w} × ${h} mm (the whole photo, nothing cropped).`,
  notReadyReason:
    'The PDF is available once the AR marker is ready: it is being prepared now. The QR code never changes.',
  failedReason:
    'The AR marker could not be made from this photo: regenerate it or replace the photo on the portrait page before printing.',
  imagePending: 'The photo is being prepared…',
  portraitAlt: 'The portrait',
  sheet: 'Printable sheet',
  qrAlt: (url: string) => `QR code that opens ${url}`,
  heading: 'Your living portrait',
  steps: [
    'Scan the QR code with your phone’s camera and open the link.',
    'Tap “Start” and allow the camera.',
    'Point the phone at the printed photo: it comes alive.',
  ],
};

export type PrintText = typeof EN;

const RU: PrintText = {
  documentTitle: 'Печать',
  back: '← К портрету',
  print: 'Распечатать этот лист',
  loading: 'Загружаем портрет',
  options: 'PDF для печати',
  format: 'Размер отпечатка',
  custom: 'Свой размер (мм)',
  widthMm: 'Ширина, мм',
  heightMm: 'Высота, мм',
  customHint: (min, max) => `От ${min} до ${max} мм по каждой стороне.`,
  customInvalid: (min, max) => `Укажите размер от ${min} до ${max} мм.`,
  cardLanguage: 'Язык карточки с QR-кодом',
  languages: { ru: 'Русский', en: 'Английский' },
  download: 'Скачать PDF',
  pdfHint:
    'В PDF — фотография в полном разрешении с вылетом 3 мм и метками реза и карточка 90×50 мм ' +
    'с QR-кодом. Печатайте в масштабе 100 %.',
  printSize: (w, h) => `Размер портрета на отпечатке: ${w} × ${h} мм (фото целиком, без обрезки).`,
  notReadyReason:
    'PDF станет доступен, когда AR-метка будет готова: сейчас она готовится. QR-код не изменится.',
  failedReason:
    'Из этой фотографии не удалось сделать AR-метку: создайте метку заново или замените фото на странице портрета.',
  imagePending: 'Фотография готовится…',
  portraitAlt: 'Портрет',
  sheet: 'Лист для печати',
  qrAlt: (url) => `QR-код, открывающий ${url}`,
  heading: 'Ваш живой портрет',
  steps: [
    'Отсканируйте QR-код камерой телефона и откройте ссылку.',
    'Нажмите «Начать» и разрешите доступ к камере.',
    'Наведите телефон на фотографию — она оживёт.',
  ],
};

const TEXTS: Readonly<Record<Locale, PrintText>> = { en: EN, ru: RU };

/** The print page's words and a millimetre formatter, in the chosen language. */
export function usePrintText(): { locale: Locale; text: PrintText; mm: (value: number) => string } {
  const locale = useLocale();
  return useMemo(() => {
    const format = new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 1 });
    return { locale, text: TEXTS[locale], mm: (value: number) => format.format(value) };
  }, [locale]);
}
