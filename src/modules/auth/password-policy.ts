import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../shared/errors.js';

export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt only uses the first 72 bytes; longer inputs would silently be truncated. */
export const PASSWORD_MAX_BYTES = 72;
/** How many of the most common passwords are refused. */
export const COMMON_PASSWORDS_REFUSED = 10_000;

export type PasswordProblemReason = 'too_short' | 'too_long' | 'common' | 'contains_username';

export interface PasswordProblem {
  reason: PasswordProblemReason;
  message: string;
}

// zxcvbn-ts ships a frequency-ranked, lower-case list (most common first): its head is the
// "10 000 most common passwords". Built on first use, not at import.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORDS_REFUSED));
  return common;
}

/**
 * Why a password may not be set for `username`, or null when it may: at least 12 characters,
 * at most 72 bytes, not one of the 10 000 most common passwords, and not containing the
 * username (all case-insensitive).
 */
export function passwordPolicyProblem(password: string, username: string): PasswordProblem | null {
  if (Array.from(password).length < PASSWORD_MIN_LENGTH) {
    return {
      reason: 'too_short',
      message: `password must be at least ${PASSWORD_MIN_LENGTH} characters`,
    };
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return { reason: 'too_long', message: `password must be at most ${PASSWORD_MAX_BYTES} bytes` };
  }
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return { reason: 'common', message: 'this password is one of the most common ones' };
  }
  const name = username.trim().toLowerCase();
  if (name !== '' && lower.includes(name)) {
    return { reason: 'contains_username', message: 'the password must not contain the username' };
  }
  return null;
}

/** Throws 400 `weak_password` with `details: { field, reason }` when the policy refuses it. */
export function assertPasswordPolicy(password: string, username: string, field: string): void {
  const problem = passwordPolicyProblem(password, username);
  if (problem === null) return;
  throw new AppError('weak_password', 400, problem.message, {
    field,
    reason: problem.reason,
    ...(problem.reason === 'too_short' ? { minLength: PASSWORD_MIN_LENGTH } : {}),
    ...(problem.reason === 'too_long' ? { maxBytes: PASSWORD_MAX_BYTES } : {}),
  });
}
