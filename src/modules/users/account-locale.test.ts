import { describe, expect, it } from 'vitest';
import { resolveLocale } from './account-locale.js';

describe('resolveLocale', () => {
  it('prefers the saved choice over the browser', () => {
    expect(resolveLocale('en', 'ru-RU,ru;q=0.9', 'ru')).toEqual({
      locale: 'en',
      localeSource: 'account',
    });
  });

  it.each([
    ['en-US,en;q=0.9', 'ru', 'en'],
    ['ru-RU,ru;q=0.9,en;q=0.5', 'en', 'ru'],
    ['de-DE,en;q=0.3', 'ru', 'en'],
    ['ru', 'ru', 'ru'],
  ] as const)('takes the browser’s best supported language from %j', (header, fallback, want) => {
    expect(resolveLocale(null, header, fallback)).toEqual({
      locale: want,
      localeSource: 'browser',
    });
  });

  it.each([undefined, '', 'de-DE,fr;q=0.8', '*', 'en;q=0'])(
    'falls back to the server default when the browser names neither (%j)',
    (header) => {
      expect(resolveLocale(null, header, 'en')).toEqual({
        locale: 'en',
        localeSource: 'default',
      });
      expect(resolveLocale(null, header, 'ru').locale).toBe('ru');
    },
  );
});
