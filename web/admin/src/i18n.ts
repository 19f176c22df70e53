import { useSyncExternalStore } from 'react';

/**
 * The admin app's language: Russian or English (SPEC R-CORE-13, Russian by default). A page
 * that is translated keeps its words in a dictionary per locale (see
 * `components/audit/auditText.ts`) and reads the choice here. The choice is the person's (kept
 * in this browser), else the browser's preferred language, else Russian. Pages not yet
 * translated stay English.
 */

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every locale; the compiler checks none is missing. */
export type Localized<T = string> = Readonly<Record<Locale, T>>;

const STORAGE_KEY = 'vertex-admin-locale';
const CHANGE = 'vertex:locale';
/** The choice of this page load, for browsers that refuse storage. */
let chosenHere: Locale | null = null;

const isLocale = (value: string | null | undefined): value is Locale =>
  LOCALES.some((locale) => locale === value);

function stored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the browser's language decides
  }
}

function current(): Locale {
  const chosen = stored() ?? chosenHere;
  if (isLocale(chosen)) return chosen;
  const preferred = window.navigator.languages.length > 0 ? window.navigator.languages : [];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'ru';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGE, onChange);
  window.addEventListener('storage', onChange); // another tab chose
  return () => {
    window.removeEventListener(CHANGE, onChange);
    window.removeEventListener('storage', onChange);
  };
}

export function setLocale(locale: Locale): void {
  chosenHere = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not kept across reloads: `chosenHere` holds it until then
  }
  window.dispatchEvent(new Event(CHANGE));
}

export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, current);
}

/** The BCP 47 tag dates and numbers are written with. */
export const localeTag = (locale: Locale): string => (locale === 'ru' ? 'ru-RU' : 'en-GB');
