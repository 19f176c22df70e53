import { TOTP, Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  matchTotp,
  newTotpSecret,
  normaliseTotpCode,
  otpauthUrl,
  totpCodeAt,
  totpStep,
} from './totp.js';

/** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", 8-digit vectors. */
const RFC_SECRET = Secret.fromLatin1('12345678901234567890').base32;

describe('TOTP', () => {
  it('computes what otpauth and the RFC vectors compute', () => {
    // The RFC's codes are 8 digits; the 6-digit code is their last six.
    for (const [seconds, eight] of [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
    ] as const) {
      expect(totpCodeAt(RFC_SECRET, totpStep(new Date(seconds * 1000)))).toBe(eight.slice(2));
    }
    const secret = newTotpSecret();
    const at = new Date('2026-12-06T12:00:10Z');
    const app = new TOTP({ secret: Secret.fromBase32(secret) });
    expect(totpCodeAt(secret, totpStep(at))).toBe(app.generate({ timestamp: at.getTime() }));
  });

  it('makes 160-bit secrets and an otpauth URL apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const url = new URL(otpauthUrl(secret, 'Studio «Light»', 'anna'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('issuer')).toBe('Studio «Light»');
    expect(url.searchParams.get('secret')).toBe(secret);
  });

  it('accepts ±1 step, refuses ±2, and refuses a step at or before the last accepted', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-12-06T12:00:10Z');
    const now = totpStep(at);
    for (const offset of [-1, 0, 1]) {
      expect(matchTotp(secret, totpCodeAt(secret, now + offset), at, null)).toBe(now + offset);
    }
    for (const offset of [-2, 2, 10]) {
      expect(matchTotp(secret, totpCodeAt(secret, now + offset), at, null)).toBeNull();
    }
    // Replay: the accepted step and earlier ones are refused, a later one within the window passes.
    expect(matchTotp(secret, totpCodeAt(secret, now), at, now)).toBeNull();
    expect(matchTotp(secret, totpCodeAt(secret, now - 1), at, now)).toBeNull();
    expect(matchTotp(secret, totpCodeAt(secret, now + 1), at, now)).toBe(now + 1);
    expect(matchTotp(secret, totpCodeAt(secret, now), at, now - 1)).toBe(now);
  });

  it('reads codes typed with spaces or a dash, and nothing that is not six digits', () => {
    expect(normaliseTotpCode('123 456')).toBe('123456');
    expect(normaliseTotpCode('123-456')).toBe('123456');
    for (const typed of ['12345', '1234567', 'abcdef', '12345a', '']) {
      expect(normaliseTotpCode(typed)).toBeNull();
    }
    const secret = newTotpSecret();
    const at = new Date();
    const code = totpCodeAt(secret, totpStep(at));
    expect(matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at, null)).toBe(totpStep(at));
  });
});
