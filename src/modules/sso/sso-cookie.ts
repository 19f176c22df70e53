import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export const SSO_COOKIE = 'vertex_sso';
/** Path of the callbacks: the cookie goes nowhere else. */
export const SSO_COOKIE_PATH = '/api/auth/sso/';
export const SSO_COOKIE_TTL_MS = 10 * 60_000;

/** What binds a callback to the browser that started the sign-in. */
export interface SsoFlowState {
  provider: string;
  state: string;
  /** OpenID Connect only (GitHub issues no ID token). */
  nonce: string | null;
  codeVerifier: string;
  mode: 'login' | 'link';
  /** Mode `link`: the account and session that asked for the link. */
  userId: string | null;
  sessionId: string | null;
  /** Epoch milliseconds after which the cookie is refused. */
  expiresAt: number;
}

/**
 * Seals the flow state into the `vertex_sso` cookie: AES-256-GCM with a key derived from the
 * session secret (its own label), so the browser can neither read the PKCE verifier nor change
 * the state, nonce, mode or account.
 */
export function createSsoCookieSealer(sessionSecret: string) {
  const key = createHmac('sha256', sessionSecret).update('vertex-ar:sso-cookie:v1').digest();

  return {
    seal(flow: SsoFlowState): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },

    /** The flow state, or null for a cookie that is forged, altered or expired. */
    open(value: string | undefined, now: Date): SsoFlowState | null {
      if (value === undefined || value === '') return null;
      try {
        const raw = Buffer.from(value, 'base64url');
        if (raw.length < 29) return null;
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
        const flow = JSON.parse(text.toString('utf8')) as SsoFlowState;
        return typeof flow.expiresAt === 'number' && flow.expiresAt > now.getTime() ? flow : null;
      } catch {
        return null;
      }
    },
  };
}

export type SsoCookieSealer = ReturnType<typeof createSsoCookieSealer>;
