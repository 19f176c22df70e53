import type { UserLocale } from '../../infra/db/schema.js';
import { negotiateLocale } from '../viewer/viewer.i18n.js';

/** The admin app's languages (the same two as the public page). */
export const ACCOUNT_LOCALES = ['ru', 'en'] as const satisfies readonly UserLocale[];

/**
 * Where the language came from: the person's saved choice, their browser's `Accept-Language`,
 * or the server's `DEFAULT_LOCALE` (the browser named neither language).
 */
export type LocaleSource = 'account' | 'browser' | 'default';

export interface ResolvedLocale {
  locale: UserLocale;
  localeSource: LocaleSource;
}

/**
 * The language to show: the saved choice, else the best of the browser's languages, else the
 * server's default. The browser decided when the answer does not depend on the fallback (a
 * header naming neither language, or only `*`, gives each fallback back: the default decides).
 */
export function resolveLocale(
  saved: UserLocale | null,
  acceptLanguage: string | undefined,
  fallback: UserLocale,
): ResolvedLocale {
  if (saved !== null) return { locale: saved, localeSource: 'account' };
  const locale = negotiateLocale(acceptLanguage, fallback);
  const other = ACCOUNT_LOCALES.find((candidate) => candidate !== fallback) ?? fallback;
  const decided = negotiateLocale(acceptLanguage, other) === locale;
  return { locale, localeSource: decided ? 'browser' : 'default' };
}
