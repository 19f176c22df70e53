/**
 * The server's rule (src/modules/auth/password-policy.ts), checked early for a friendlier
 * form. The list of the 10 000 most common passwords stays on the server: a password on it is
 * refused there (400 `weak_password`, shown next to the field).
 */
export const PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MAX_BYTES = 72;

export function passwordProblem(password: string, username = ''): string | undefined {
  if (Array.from(password).length < PASSWORD_MIN_LENGTH) {
    return `At least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) {
    return `At most ${PASSWORD_MAX_BYTES} bytes.`;
  }
  const name = username.trim().toLowerCase();
  if (name !== '' && password.toLowerCase().includes(name)) {
    return 'The password must not contain the username.';
  }
  return undefined;
}
