import { ApiError } from '../../api';

/** A 6-digit code as typed ("123 456", "123-456") without its separators. */
export const normaliseCode = (value: string): string => value.replace(/[\s-]/g, '');

export const SIX_DIGITS = /^\d{6}$/;

/** `ABCDEFGHIJKL…` as `ABCD EFGH IJKL …`: easier to read and to type by hand. */
export const grouped = (secret: string, size = 4): string =>
  (secret.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(' ');

/** A refused code as the field's error (the server's `two_factor_code_invalid`); else null. */
export function codeFailure(
  reason: unknown,
  words: string,
): { fields: Record<string, string>; error: null } | null {
  return reason instanceof ApiError && reason.code === 'two_factor_code_invalid'
    ? { fields: { code: words }, error: null }
    : null;
}
