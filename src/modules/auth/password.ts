import bcrypt from 'bcrypt';

export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt only uses the first 72 bytes; longer inputs would silently be truncated. */
export const PASSWORD_MAX_BYTES = 72;

/** Returns a reason when the password is not acceptable, else null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `password must be at most ${PASSWORD_MAX_BYTES} bytes`;
  }
  return null;
}

export function createPasswordHasher(cost: number) {
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password: string): Promise<string> => bcrypt.hash(password, cost),
    verify: (password: string, hash: string): Promise<boolean> => bcrypt.compare(password, hash),
    /**
     * Spends the same time as a real check. Used when the user does not exist, so a wrong
     * username cannot be told from a wrong password by timing.
     */
    async verifyAgainstNothing(password: string): Promise<false> {
      dummyHash ??= bcrypt.hash('vertex-ar timing equaliser', cost);
      await bcrypt.compare(password, await dummyHash);
      return false;
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
