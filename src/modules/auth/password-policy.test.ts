import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { assertPasswordPolicy, passwordPolicyProblem } from './password-policy.js';

const reason = (password: string, username = 'anna') =>
  passwordPolicyProblem(password, username)?.reason ?? null;

describe('password policy', () => {
  it('accepts a long, uncommon password that does not contain the username', () => {
    expect(reason('tram-violet-orchard-42')).toBeNull();
    expect(reason('x'.repeat(12))).toBeNull();
  });

  it('refuses fewer than 12 characters, counting characters rather than bytes', () => {
    expect(reason('eleven-char')).toBe('too_short');
    expect(reason('ёжикёжикёжи')).toBe('too_short'); // 11 characters, 22 bytes
    expect(reason('ёжикёжикёжик')).toBeNull();
  });

  it('refuses more than 72 bytes (bcrypt would ignore the rest)', () => {
    expect(reason('a'.repeat(72))).toBeNull();
    expect(reason('a'.repeat(73))).toBe('too_long');
    expect(reason('ж'.repeat(37))).toBe('too_long'); // 74 bytes
  });

  it('refuses the most common passwords whatever their case', () => {
    expect(reason('qwerty123456')).toBe('common');
    expect(reason('1Q2W3E4R5T6Y')).toBe('common');
    expect(reason('LeaveMeAlone')).toBe('common');
  });

  it('refuses a password equal to or containing the username, case-insensitively', () => {
    expect(reason('svetlana-2024!', 'svetlana')).toBe('contains_username');
    expect(reason('My-SVETLANA-pass', 'Svetlana')).toBe('contains_username');
    expect(reason('administrator', 'administrator')).toBe('contains_username');
    expect(reason('sveta-photo-2024', 'svetlana')).toBeNull();
  });

  it('answers 400 weak_password naming the field and the reason', () => {
    const refuse = () => {
      assertPasswordPolicy('short', 'anna', 'newPassword');
    };
    expect(refuse).toThrow(AppError);
    try {
      refuse();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'weak_password',
        httpStatus: 400,
        details: { field: 'newPassword', reason: 'too_short', minLength: 12 },
      });
    }
    expect(() => {
      assertPasswordPolicy('tram-violet-orchard-42', 'anna', 'password');
    }).not.toThrow();
  });
});
