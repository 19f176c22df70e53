/** The server's rule (src/modules/auth/password.ts), checked early for a friendlier form. */
export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_BYTES = 72;

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `At least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) {
    return `At most ${PASSWORD_MAX_BYTES} bytes.`;
  }
  return undefined;
}
