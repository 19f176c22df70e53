import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VIEWER_LOCALES, isViewerLocale, negotiateLocale, viewerText } from './viewer.i18n.js';

describe('dictionaries', () => {
  const keys = (locale: (typeof VIEWER_LOCALES)[number]) => Object.keys(viewerText(locale)).sort();

  it('every language has exactly the same keys', () => {
    expect(keys('ru')).toEqual(keys('en'));
  });

  it.each(VIEWER_LOCALES)('%s: no empty value, its own lang, no stray whitespace', (locale) => {
    const text = viewerText(locale);
    expect(text.lang).toBe(locale);
    for (const [key, value] of Object.entries(text)) {
      expect(value.trim(), key).not.toBe('');
      expect(value, key).toBe(value.trim());
    }
  });

  it('has the words the page script needs', () => {
    for (const locale of VIEWER_LOCALES) {
      const text = viewerText(locale);
      for (const key of ['playVideo', 'cameraFallback', 'close', 'languageName', 'contactStudio'])
        expect(text).toHaveProperty(key);
    }
    expect(viewerText('ru').languageName).toBe('Русский');
    expect(viewerText('en').languageName).toBe('English');
  });

  it('Russian is Russian: no Latin words beyond product names, typographic quotes', () => {
    const allowed = /\b(AR|HTTPS|JavaScript|Safari|iPhone|Chrome|Android|QR|ru)\b/g;
    for (const [key, value] of Object.entries(viewerText('ru'))) {
      expect(value.replace(allowed, ''), key).not.toMatch(/[A-Za-z]/);
      expect(value, key).not.toMatch(/["„“]/);
    }
    expect(viewerText('ru').readyToStart).toContain('«Начать»');
  });

  it('the dictionaries are frozen (shared by every request)', () => {
    expect(Object.isFrozen(viewerText('ru'))).toBe(true);
    expect(Object.isFrozen(viewerText('en'))).toBe(true);
  });
});

describe('negotiateLocale', () => {
  it.each([
    ['en-US,en;q=0.9,ru;q=0.8', 'ru', 'en'],
    ['de-DE, ru;q=0.5', 'en', 'ru'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'en', 'ru'],
    ['ru;q=0.8, en;q=0.9', 'ru', 'en'],
    ['EN-gb', 'ru', 'en'],
    // Equal weights: the first listed wins.
    ['en, ru', 'ru', 'en'],
    ['ru;q=0.5, en;q=0.5', 'en', 'ru'],
    // The best weight of any tag of a language counts.
    ['en-US;q=0.9, ru;q=0.8, en;q=0.1', 'ru', 'en'],
    // q=0: "not this one".
    ['en;q=0, ru;q=0', 'en', 'en'],
    ['ru;q=0, *', 'ru', 'en'],
    ['de, en;q=0', 'en', 'en'],
    // `*`: any language not named, the fallback first.
    ['*', 'en', 'en'],
    ['*', 'ru', 'ru'],
    ['de, *;q=0.1', 'en', 'en'],
    ['fr;q=0.9, *;q=0.5, en;q=0.7', 'ru', 'en'],
    // Unsupported only, malformed, empty: the fallback.
    ['de-DE, fr;q=0.8', 'en', 'en'],
    ['', 'ru', 'ru'],
    [',,;;,', 'en', 'en'],
    ['garbage!!', 'ru', 'ru'],
    ['en;q=2, ru;q=abc', 'en', 'en'],
    ['en;q=1.5', 'ru', 'ru'],
    ['en;q=0.9999', 'ru', 'ru'],
    ['en;q=', 'ru', 'ru'],
    ['ru;q=0.001, en;q=0.0001', 'en', 'ru'],
    ['en ; q = 0.5 , ru ; q = 0.4', 'ru', 'en'],
  ] as const)('%j (fallback %s) → %s', (header, fallback, expected) => {
    expect(negotiateLocale(header, fallback)).toBe(expected);
  });

  it('falls back without a header', () => {
    expect(negotiateLocale(undefined, 'ru')).toBe('ru');
    expect(negotiateLocale(undefined, 'en')).toBe('en');
  });

  it('a supported override wins over the header; anything else is ignored', () => {
    expect(negotiateLocale('en-US,en;q=0.9', 'ru', 'ru')).toBe('ru');
    expect(negotiateLocale('ru', 'ru', 'en')).toBe('en');
    expect(negotiateLocale('ru', 'ru', 'EN')).toBe('en');
    expect(negotiateLocale('ru', 'ru', 'en-GB')).toBe('en');
    expect(negotiateLocale(undefined, 'ru', 'en')).toBe('en');
    for (const junk of ['', 'de', '*', 'xx-<script>', 'en;q=1', '../en'])
      expect(negotiateLocale('en', 'ru', junk), junk).toBe('en');
    expect(negotiateLocale(undefined, 'ru', 'de')).toBe('ru');
  });

  it('always answers a supported locale, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
        fc.constantFrom(...VIEWER_LOCALES),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        (header, fallback, override) => {
          expect(isViewerLocale(negotiateLocale(header, fallback, override))).toBe(true);
        },
      ),
    );
  });

  it('stays cheap on a huge header', () => {
    const header = `${'de;q=0.5,'.repeat(100_000)}en`;
    const started = performance.now();
    // Entries past the bound are not read: the trailing `en` is never seen.
    expect(negotiateLocale(header, 'ru')).toBe('ru');
    expect(performance.now() - started).toBeLessThan(100);
  });
});
