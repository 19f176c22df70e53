/**
 * Normalises a phone number for storage and lookup: the same person typed as
 * "+7 (999) 123-45-67", "+79991234567" or "0079991234567" is one client. Keeps a leading `+`
 * (international form, `00` prefix converted), drops spaces and punctuation. Returns null when
 * what is left is not 6–15 digits (E.164 allows at most 15).
 */
export function normalisePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^[+\d\s().-]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  let international = trimmed.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (digits.length < 6 || digits.length > 15) return null;
  return international ? `+${digits}` : digits;
}
