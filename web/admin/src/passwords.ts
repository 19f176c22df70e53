import type { CommonText } from './components/commonText';

/**
 * The server's rule (src/modules/auth/password-policy.ts), checked early for a friendlier
 * form. The list of the 10 000 most common passwords stays on the server: a password on it is
 * refused there (400 `weak_password`, shown next to the field).
 */
export const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_BYTES = 72;

/** What is wrong with a new password, in the words of `text`; undefined when nothing is. */
export function passwordProblem(
  text: CommonText,
  password: string,
  username = '',
): string | undefined {
  if (Array.from(password).length < PASSWORD_MIN_LENGTH) {
    return text.passwordTooShort(PASSWORD_MIN_LENGTH);
  }
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) {
    return text.passwordTooLong(PASSWORD_MAX_BYTES);
  }
  const name = username.trim().toLowerCase();
  if (name !== '' && password.toLowerCase().includes(name)) {
    return text.passwordHasUsername;
  }
  return undefined;
}
