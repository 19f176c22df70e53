import { localeTag, type Locale } from '../../i18n';

type Style = 'short' | 'long';
const made = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, style: Style): Intl.DateTimeFormat {
  const key = `${locale}:${style}`;
  let found = made.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(localeTag(locale), {
      day: 'numeric',
      month: style,
      ...(style === 'long' ? { year: 'numeric' } : {}),
      // The server counts UTC days: shown as such, whatever the browser's time zone.
      timeZone: 'UTC',
    });
    made.set(key, found);
  }
  return found;
}

const utc = (day: string) => new Date(`${day.slice(0, 10)}T00:00:00Z`);

/**
 * Two UTC days as one range in the user's language: `26 нояб. – 6 дек.` (short, for a week
 * bar), `26 ноября – 8 декабря 2026 г.` (long, for the period shown); one day when they are
 * the same.
 */
export function formatDayRange(from: string, to: string, locale: Locale, style: Style): string {
  const format = formatter(locale, style);
  return from === to ? format.format(utc(from)) : format.formatRange(utc(from), utc(to));
}
