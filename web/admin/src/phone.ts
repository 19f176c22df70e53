import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * A stored phone (E.164, `+79123456789`) as people read it: `+7 912 345-67-89` for Russia and
 * Kazakhstan (the grouping they write; libphonenumber's international format has no dashes),
 * the international format for other countries (`+44 20 7946 0000`). A value that is not
 * E.164 (an old row the phone migration could not rewrite) is shown as stored. The "min"
 * metadata is enough to format and keeps the bundle small.
 */
export function formatPhone(phone: string): string {
  if (!phone.startsWith('+')) return phone;
  const number = parsePhoneNumberFromString(phone);
  if (number === undefined) return phone;
  const national = number.nationalNumber;
  if (number.countryCallingCode === '7' && national.length === 10) {
    return `+7 ${national.slice(0, 3)} ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`;
  }
  return number.formatInternational();
}
