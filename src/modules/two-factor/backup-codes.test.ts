import { describe, expect, it } from 'vitest';
import {
  BACKUP_CODE_COUNT,
  newBackupCode,
  newBackupCodes,
  normaliseBackupCode,
} from './backup-codes.js';
import { maskAddress } from './second-factor-channel.js';
import { createTwoFactorKeys } from './two-factor-keys.js';

describe('backup codes', () => {
  it('are 10 of xxxxx-xxxxx from a 32-symbol alphabet without look-alikes', () => {
    const codes = newBackupCodes();
    expect(codes).toHaveLength(BACKUP_CODE_COUNT);
    expect(new Set(codes).size).toBe(BACKUP_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  it('use the whole alphabet (50 bits a code)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const c of newBackupCode().replace('-', '')) seen.add(c);
    expect(seen.size).toBe(32);
  });

  it('read back however they are typed', () => {
    expect(normaliseBackupCode('ab3de-fg7hk')).toBe('ab3defg7hk');
    expect(normaliseBackupCode(' AB3DE FG7HK ')).toBe('ab3defg7hk');
    // o, i and l are read as 0 and 1 (the alphabet has none of them).
    expect(normaliseBackupCode('o1ilo-00000')).toBe('0111000000');
    for (const typed of ['ab3de-fg7h', 'ab3de-fg7hkk', 'ab3de-fg7hu', '']) {
      expect(normaliseBackupCode(typed)).toBeNull();
    }
  });
});

describe('two-factor keys', () => {
  const keys = createTwoFactorKeys('a-session-secret-of-at-least-32-characters!');

  it('encrypt a TOTP secret for one user: another user or key cannot open it', () => {
    const sealed = keys.sealSecret('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.sealSecret('JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(sealed); // a fresh IV
    expect(keys.openSecret(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => keys.openSecret(sealed, 'user-2')).toThrow();
    const other = createTwoFactorKeys('another-session-secret-of-32-characters!!');
    expect(() => other.openSecret(sealed, 'user-1')).toThrow();
  });

  it('key the hashes per purpose and per user', () => {
    expect(keys.backupCodeHash('u', 'abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.backupCodeHash('u', 'abc')).not.toBe(keys.backupCodeHash('v', 'abc'));
    expect(keys.emailCodeHash('u', '123456')).not.toBe(keys.backupCodeHash('u', '123456'));
    expect(keys.clientHash('1.2.3.4', 'ua')).not.toBe(keys.clientHash('1.2.3.4', 'ub'));
  });

  it('mask an address to its first letter and domain', () => {
    expect(maskAddress('anna@mail.example')).toBe('a***@mail.example');
    expect(maskAddress('not-an-address')).toBe('***');
  });
});
