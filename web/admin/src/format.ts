/** Display formatting (locale-aware, never HTML). */
import { useMemo } from 'react';
import { localeTag, useLocale, type Locale } from './i18n';

/** Intl formatters per language tag (undefined: the browser's own), made once each. */
interface Formatters {
  date: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  day: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
}

const made = new Map<string, Formatters>();

function formatters(locale: Locale | undefined): Formatters {
  const tag = locale === undefined ? undefined : localeTag(locale);
  const key = tag ?? '';
  let found = made.get(key);
  if (found === undefined) {
    found = {
      // Month in words: `1 декабря 2026 г.` / `1 December 2026`, never an ambiguous 01/12.
      date: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat(tag, { timeStyle: 'short' }),
      day: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
      number: new Intl.NumberFormat(tag),
    };
    made.set(key, found);
  }
  return found;
}

/** `1 декабря 2026 г., 19:22` / `1 December 2026, 19:22`. */
export function formatDateTime(iso: string, locale?: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const { date: day, time } = formatters(locale);
  // Joined by hand: Intl puts "в" / "at" between them, which reads oddly in a table.
  return `${day.format(date)}, ${time.format(date)}`;
}

export function formatDate(iso: string, locale?: Locale): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatters(locale).date.format(date);
}

/** `2026-11-26` → `26 Nov` / `26 нояб.` (the day as the server counted it, in UTC). */
export function formatDay(day: string, locale?: Locale): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : formatters(locale).day.format(date);
}

const BYTE_UNITS: Readonly<Record<Locale, readonly string[]>> = {
  en: ['B', 'KB', 'MB', 'GB', 'TB'],
  ru: ['Б', 'КБ', 'МБ', 'ГБ', 'ТБ'],
};

/** `1.5 MB`; in Russian `1,5 МБ`. Without a locale, the English form (kept by the API docs). */
export function formatBytes(bytes: number, locale?: Locale): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = BYTE_UNITS[locale ?? 'en'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const shown = value.toFixed(value >= 100 || unit === 0 ? 0 : 1);
  return `${locale === 'ru' ? shown.replace('.', ',') : shown} ${units[unit] ?? units[0] ?? 'B'}`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function formatNumber(value: number, locale?: Locale): string {
  return formatters(locale).number.format(value);
}

/** The formats above bound to the chosen language. */
export interface Format {
  locale: Locale;
  dateTime: (iso: string) => string;
  date: (iso: string) => string;
  day: (day: string) => string;
  bytes: (bytes: number) => string;
  number: (value: number) => string;
}

export function useFormat(): Format {
  const locale = useLocale();
  return useMemo(
    () => ({
      locale,
      dateTime: (iso) => formatDateTime(iso, locale),
      date: (iso) => formatDate(iso, locale),
      day: (day) => formatDay(day, locale),
      bytes: (bytes) => formatBytes(bytes, locale),
      number: (value) => formatNumber(value, locale),
    }),
    [locale],
  );
}
