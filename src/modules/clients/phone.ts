import { AsYouType, getCountryCallingCode } from 'libphonenumber-js/max';
import { looksLikePhone, normalisePhone, type PhoneRegion } from '../../shared/phone.js';

export { normalisePhone };

/** The `details[].message` of a phone field that is not a valid number (400 `validation_failed`). */
export const INVALID_PHONE_MESSAGE =
  'not a valid phone number: write it as 8 912 345-67-89, +7 912 345-67-89 or, for another ' +
  'country, with + and its country code';

/**
 * Digit strings to look for in stored (E.164) phones when searching for `q`, any one matching:
 * always the digits as typed ("345-67" finds +79123456789), and when `q` looks like a phone also
 * the digits as {@link normalisePhone} reads them, complete or partial: "8 912 345-67-89" and
 * "8 912 345" (the trunk prefix `8` dropped) or "+7 912" (country code kept) find it too. A
 * national reading shorter than 3 digits is left out: "89" would otherwise match every "9".
 */
export function phoneSearchDigits(q: string, region: PhoneRegion): string[] {
  const typed = q.replace(/\D/g, '');
  if (typed === '') return [];
  const found = new Set([typed]);
  if (looksLikePhone(q)) {
    const complete = normalisePhone(q, region);
    if (complete !== null) found.add(complete.slice(1));
    const partial = new AsYouType(region);
    partial.input(q.trim().startsWith('00') ? `+${q.trim().slice(2)}` : q);
    // "+7912345": keep the country code when it was typed, else only the national digits.
    const value = (partial.getNumberValue() ?? '+').slice(1);
    const digits = partial.isInternational()
      ? value
      : value.slice(getCountryCallingCode(region).length);
    if (digits.length >= 3) found.add(digits);
  }
  return [...found];
}
