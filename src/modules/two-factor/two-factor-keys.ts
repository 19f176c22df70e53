import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

const VERSION = 'v1';

/**
 * Keys of the two-factor module, all derived from the server's session secret with HKDF
 * (SHA-256) under distinct labels: one encrypts TOTP secrets at rest (AES-256-GCM), the others
 * key the hashes of backup codes, e-mail codes and a challenge's client. Changing
 * `SESSION_SECRET` therefore turns every TOTP enrolment unreadable (see docs/security.md).
 */
export function createTwoFactorKeys(sessionSecret: string) {
  const derive = (label: string) =>
    Buffer.from(hkdfSync('sha256', sessionSecret, 'vertex-ar:two-factor', label, 32));
  const secretKey = derive('totp-secret:v1');
  const backupKey = derive('backup-code:v1');
  const emailKey = derive('email-code:v1');
  const clientKey = derive('challenge-client:v1');
  const keyed = (key: Buffer, ...parts: string[]) =>
    createHmac('sha256', key).update(parts.join('\n')).digest('hex');

  return {
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url); the user id is authenticated data. */
    sealSecret(plain: string, userId: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secretKey, iv);
      cipher.setAAD(Buffer.from(userId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), body]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },

    /** Throws when the text was not sealed by this key for this user. */
    openSecret(sealed: string, userId: string): string {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('unknown two-factor secret format');
      }
      const decipher = createDecipheriv('aes-256-gcm', secretKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },

    backupCodeHash: (userId: string, normalisedCode: string) =>
      keyed(backupKey, userId, normalisedCode),
    emailCodeHash: (userId: string, code: string) => keyed(emailKey, userId, code),
    clientHash: (ip: string | null, userAgent: string | null) =>
      keyed(clientKey, ip ?? '', userAgent ?? ''),
    /** A challenge token is random (256 bits): a plain SHA-256 is its stored id. */
    challengeId: (token: string) => createHash('sha256').update(token).digest('hex'),
  };
}

export type TwoFactorKeys = ReturnType<typeof createTwoFactorKeys>;
