import { LOCALES, setLocale, useLocale, type Locale } from '../i18n';

/** Each language named in itself, so a person who reads only one finds it. */
const NAMES: Readonly<Record<Locale, string>> = { ru: 'Русский', en: 'English' };

/** Two toggle buttons: the page's language, kept in this browser. */
export function LanguageSwitch({ label }: { label: string }) {
  const locale = useLocale();
  return (
    <div className="language-switch" role="group" aria-label={label}>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="button"
          aria-pressed={option === locale}
          onClick={() => {
            setLocale(option);
          }}
        >
          {NAMES[option]}
        </button>
      ))}
    </div>
  );
}
