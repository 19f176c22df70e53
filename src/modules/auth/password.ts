import bcrypt from 'bcrypt';
import { createHashLimiter, type HashLimits } from './hash-limiter.js';

/** PASSWORD_HASH_CONCURRENCY / PASSWORD_HASH_QUEUE defaults (src/config.ts). */
export const DEFAULT_HASH_LIMITS: HashLimits = { concurrency: 2, queueLimit: 16 };

/**
 * bcrypt hashing and checking, every call through one bounded limiter (`hash-limiter.ts`), so
 * a login flood cannot take the whole libuv thread pool. A call refused by a full queue throws
 * 503 `busy` before any hashing.
 */
export function createPasswordHasher(cost: number, limits: HashLimits = DEFAULT_HASH_LIMITS) {
  const limiter = createHashLimiter(limits);
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password: string): Promise<string> => limiter.run(() => bcrypt.hash(password, cost)),
    verify: (password: string, hash: string): Promise<boolean> =>
      limiter.run(() => bcrypt.compare(password, hash)),
    /**
     * Spends the same time as a real check. Used when the user does not exist, so a wrong
     * username cannot be told from a wrong password by timing.
     */
    async verifyAgainstNothing(password: string): Promise<false> {
      dummyHash ??= bcrypt.hash('vertex-ar timing equaliser', cost);
      const against = await dummyHash;
      await limiter.run(() => bcrypt.compare(password, against));
      return false;
    },
    load: limiter.load,
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
