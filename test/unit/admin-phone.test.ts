import { describe, expect, it } from 'vitest';
import { formatPhone } from '../../web/admin/src/phone.js';

describe('formatPhone (admin app)', () => {
  it('writes Russian numbers as Russians do', () => {
    expect(formatPhone('+79123456789')).toBe('+7 912 345-67-89');
    expect(formatPhone('+74957654321')).toBe('+7 495 765-43-21');
  });

  it('uses the international format of other countries', () => {
    expect(formatPhone('+442079460000')).toBe('+44 20 7946 0000');
    expect(formatPhone('+12025550143')).toBe('+1 202 555 0143');
  });

  it('shows a value that is not E.164 as stored', () => {
    expect(formatPhone('89123456789')).toBe('89123456789');
    expect(formatPhone('+0')).toBe('+0');
    expect(formatPhone('')).toBe('');
  });
});
