import { formatDate } from './format';
import { useLocale, type Locale, type Localized } from './i18n';

const NAME: Localized<(client: string, date: string) => string> = {
  en: (client, date) => `Portrait — ${client}, ${date}`,
  ru: (client, date) => `Портрет — ${client}, ${date}`,
};

/**
 * How a portrait is named wherever it is listed: by its client and the day it was made, in the
 * person's language (`Портрет — Анна Петрова, 4 декабря 2026 г.`, `Portrait — Anna Petrova,
 * 4 December 2026`), never by an id.
 */
export function portraitName(clientName: string, createdAt: string, locale: Locale): string {
  return NAME[locale](clientName, formatDate(createdAt, locale));
}

/** `portraitName` in the chosen language. */
export function usePortraitName(): (clientName: string, createdAt: string) => string {
  const locale = useLocale();
  return (clientName, createdAt) => portraitName(clientName, createdAt, locale);
}
