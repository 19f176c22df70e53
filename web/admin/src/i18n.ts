import { useSyncExternalStore } from 'react';
import { api } from './api';

/**
 * The admin app's language: Russian or English (SPEC R-CORE-13, Russian by default). A page
 * that is translated keeps its words in a dictionary per locale (see
 * `components/audit/auditText.ts`) and reads the choice here. The choice, in order:
 * 1. the one saved on the signed-in account (`GET /api/auth/me`, the login answer);
 * 2. the one made in this browser (kept in localStorage);
 * 3. the server's default for this browser (`GET /api/locale`: its `Accept-Language`, then
 *    `DEFAULT_LOCALE`); until that answer arrives, the browser's own languages, then Russian.
 * `setLocale` also saves the choice on the account when someone is signed in.
 */

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every locale; the compiler checks none is missing. */
export type Localized<T = string> = Readonly<Record<Locale, T>>;

const STORAGE_KEY = 'vertex-admin-locale';
const CHANGE = 'vertex:locale';
/** The choice of this page load, for browsers that refuse storage. */
let chosenHere: Locale | null = null;
/** Saved on the signed-in account; null when nothing is saved or nobody is signed in. */
let accountChoice: Locale | null = null;
let signedIn = false;
/** The server's choice for this browser when nothing is chosen. */
let serverDefault: Locale | null = null;

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
  if (accountChoice !== null) return accountChoice;
  const chosen = stored() ?? chosenHere;
  if (isLocale(chosen)) return chosen;
  if (serverDefault !== null) return serverDefault;
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

const changed = () => window.dispatchEvent(new Event(CHANGE));

export function setLocale(locale: Locale): void {
  chosenHere = locale;
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not kept across reloads: `chosenHere` holds it until then
  }
  if (signedIn) {
    accountChoice = locale;
    // Fire and forget: the page switches now; if saving fails the choice still holds in this
    // browser, and the next switch tries again.
    api.saveLocale(locale).catch((error: unknown) => {
      console.warn('the language could not be saved on the account', error);
    });
  }
  changed();
}

/** What the server answers about the language (`me`, login, `GET /api/locale`). */
export interface LocaleAnswer {
  locale: Locale;
  localeSource: 'account' | 'browser' | 'default';
}

/** Signed in (`me` or login answered): the account's saved language, if any, takes over. */
export function adoptAccountLocale(answer: LocaleAnswer): void {
  signedIn = true;
  if (answer.localeSource === 'account') accountChoice = answer.locale;
  else {
    accountChoice = null;
    serverDefault = answer.locale;
  }
  changed();
}

/** Signed out: the page keeps its language (for this page load) instead of flipping. */
export function forgetAccountLocale(): void {
  if (accountChoice !== null && stored() === null) chosenHere = accountChoice;
  accountChoice = null;
  signedIn = false;
  changed();
}

/** Asks the server once for this browser's default (the login page needs one before sign-in). */
let asked = false;
function askServerDefault(): void {
  if (asked) return;
  asked = true;
  api.locale().then(
    (answer) => {
      serverDefault = answer.locale;
      changed();
    },
    () => {
      // an older or unreachable server: the browser's languages, then Russian, decide
    },
  );
}

export function useLocale(): Locale {
  askServerDefault();
  return useSyncExternalStore(subscribe, current);
}

/** The language now, for code outside components (e.g. turning an error into words). */
export const currentLocale = (): Locale => current();

/** The BCP 47 tag dates and numbers are written with. */
export const localeTag = (locale: Locale): string => (locale === 'ru' ? 'ru-RU' : 'en-GB');
