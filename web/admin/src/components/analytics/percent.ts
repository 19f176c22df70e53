import { localeTag, type Locale } from '../../i18n';

const made = new Map<Locale, Intl.NumberFormat>();

/** `0.375` → `38 %` / `38%`, in the user's language; whole percents from 10 %, one decimal below. */
export function formatPercent(rate: number, locale: Locale): string {
  let format = made.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(localeTag(locale), {
      style: 'percent',
      maximumFractionDigits: 1,
    });
    made.set(locale, format);
  }
  return format.format(rate >= 0.1 ? Math.round(rate * 100) / 100 : rate);
}
