import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

/** An ISO 3166-1 alpha-2 region libphonenumber has numbering rules for (`RU`, `KZ`, `DE`…). */
export type PhoneRegion = CountryCode;

/** True for an upper-case region code libphonenumber supports (`DEFAULT_PHONE_REGION`). */
export function isPhoneRegion(value: string): value is PhoneRegion {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

/** What a person may type in a phone field: digits, a leading `+`, spaces and punctuation. */
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;

/**
 * Normalises a phone number to E.164 (`+79123456789`) for storage and lookup, so the same
 * person typed as "8 (912) 345-67-89", "+7 912 345 67 89" or "912 345-67-89" is one client.
 * A number without `+` is read as a number of `region` (its trunk prefix, `8` in Russia, is
 * understood); a number with `+` (or `00`) is international, whatever the region. Returns null
 * when it is not a valid number (wrong length, unassigned range, letters). The full ("max")
 * metadata is used: "min" accepts numbers a digit short.
 */
export function normalisePhone(input: string, region: PhoneRegion): string | null {
  let text = input.trim();
  if (!PHONE_CHARACTERS.test(text)) return null;
  // `00` is the international prefix in most of the world; no national number starts with it.
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  const number = parsePhoneNumberFromString(text, region);
  if (number === undefined || !number.isValid()) return null;
  return number.number;
}

/** True when the text is what {@link normalisePhone} may read (digits and punctuation only). */
export function looksLikePhone(text: string): boolean {
  return PHONE_CHARACTERS.test(text.trim()) && /\d/.test(text);
}
