import { createHash, randomBytes } from 'node:crypto';

/** Every API key starts with this, so a leaked one is recognisable (and secret scanners match it). */
export const API_KEY_PREFIX = 'vxk_';
const SECRET_BYTES = 32;
/** `vxk_` + 32 bytes in base64url (43 characters, no padding). */
const KEY_PATTERN = /^vxk_[A-Za-z0-9_-]{43}$/;
/** How much of the key lists show: enough to tell keys apart, far too little to guess the rest. */
const VISIBLE_CHARS = API_KEY_PREFIX.length + 8;

export interface NewApiKeySecret {
  /** The whole key: given to the caller once, never stored. */
  key: string;
  prefix: string;
  hash: string;
}

/** SHA-256 is enough: the secret is 256 random bits, so there is nothing to brute-force. */
export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function generateApiKey(): NewApiKeySecret {
  const key = `${API_KEY_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { key, prefix: key.slice(0, VISIBLE_CHARS), hash: hashApiKey(key) };
}

/** A bearer token meant as an API key (rather than a session JWT), well-formed or not. */
export const looksLikeApiKey = (token: string): boolean => token.startsWith(API_KEY_PREFIX);

/** The hash to look a key up by, or null when the token cannot be a key we issued. */
export const apiKeyLookupHash = (token: string): string | null =>
  KEY_PATTERN.test(token) ? hashApiKey(token) : null;
