import { describe, expect, it } from 'vitest';
import { apiKeyLookupHash, generateApiKey, hashApiKey, looksLikeApiKey } from './api-key-secret.js';

describe('API key secrets', () => {
  it('makes vxk_ keys of 32 random bytes whose list prefix is not the secret', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^vxk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.key.slice(4), 'base64url')).toHaveLength(32);
    expect(a.key).not.toBe(b.key);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.prefix).toHaveLength(12);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4));
  });

  it('looks up only well-formed keys', () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyLookupHash(key)).toBe(hash);
    expect(looksLikeApiKey(key)).toBe(true);
    for (const bad of [
      'vxk_',
      `${key}x`,
      key.slice(0, -1),
      `${key.slice(0, -1)}!`,
      `VXK_${key.slice(4)}`,
    ]) {
      expect(apiKeyLookupHash(bad)).toBeNull();
    }
    expect(looksLikeApiKey('eyJhbGciOiJIUzI1NiJ9.x.y')).toBe(false);
  });
});
