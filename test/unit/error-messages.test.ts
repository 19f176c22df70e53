import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MARKER_ERROR_CODES } from '../../src/shared/error-codes.js';
import {
  CLIENT_ERROR_CODES,
  ERROR_MESSAGES,
  errorText,
} from '../../web/admin/src/errorMessages.js';

/**
 * Every code a person can meet has words in both languages (issue 12): the API's error codes,
 * the marker's failure codes and the admin app's own. A code added on the server without its
 * words, an empty text, or words left for a code that no longer exists fail here.
 */
const EXPECTED = new Set<string>([...ERROR_CODES, ...MARKER_ERROR_CODES, ...CLIENT_ERROR_CODES]);
const LOCALES = ['ru', 'en'] as const;
const CYRILLIC = /[А-Яа-яЁё]/;

describe('error message catalogue of the admin app', () => {
  it.each([...EXPECTED])('%s has a message and a next step in Russian and English', (code) => {
    const entry = (ERROR_MESSAGES as Record<string, (typeof ERROR_MESSAGES)['not_found']>)[code];
    expect(entry, `no entry for ${code}`).toBeDefined();
    for (const locale of LOCALES) {
      const text = entry?.[locale];
      expect(text?.message.trim(), `${code}.${locale}.message`).toBeTruthy();
      expect(text?.next.trim(), `${code}.${locale}.next`).toBeTruthy();
      // Words for people, not the machine code again (`busy` is also an English word).
      if (code.includes('_')) expect(text?.message).not.toContain(code);
    }
    // Each language is really that language.
    expect(entry?.ru.message).toMatch(CYRILLIC);
    expect(entry?.ru.next).toMatch(CYRILLIC);
    expect(entry?.en.message).not.toMatch(CYRILLIC);
    expect(entry?.en.next).not.toMatch(CYRILLIC);
    expect(entry?.ru.message).not.toBe(entry?.en.message);
  });

  it('has no entries for codes that no longer exist', () => {
    const stale = Object.keys(ERROR_MESSAGES).filter((code) => !EXPECTED.has(code));
    expect(stale).toEqual([]);
  });

  it('answers a code it does not know with the general text, never nothing', () => {
    expect(errorText('some_future_code', 'ru')).toEqual(ERROR_MESSAGES.unknown_error.ru);
    expect(errorText('unsupported_media', 'en').message).toMatch(/photo or video/);
    expect(errorText('toString', 'en')).toEqual(ERROR_MESSAGES.unknown_error.en);
  });
});
