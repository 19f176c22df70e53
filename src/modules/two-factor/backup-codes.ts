import { randomInt } from 'node:crypto';

export const BACKUP_CODE_COUNT = 10;
/**
 * Lower-case base32 without the letters people misread (i, l, o, u): 32 symbols, so each of the
 * 10 characters carries 5 bits, 50 bits a code — far beyond what an online guesser can try
 * against the lockout, and enough that a keyed hash (not a slow one) is the right store.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 10;

/** One code, `xxxxx-xxxxx`. */
export function newBackupCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET.charAt(randomInt(ALPHABET.length));
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export const newBackupCodes = (): string[] =>
  Array.from({ length: BACKUP_CODE_COUNT }, () => newBackupCode());

/**
 * A typed backup code in its stored form (lower case, no dashes or spaces; the look-alikes
 * people type for 0 and 1 read as them), or null when it cannot be one.
 */
export function normaliseBackupCode(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '').replace(/[o]/g, '0').replace(/[il]/g, '1');
  if (code.length !== LENGTH) return null;
  for (const c of code) if (!ALPHABET.includes(c)) return null;
  return code;
}
