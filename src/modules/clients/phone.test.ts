import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phone.js';

describe('normalisePhone', () => {
  it('gives one form for the same number typed differently', () => {
    const forms = [
      '+7 (999) 123-45-67',
      '+79991234567',
      '0079991234567',
      ' +7 999 123 45 67 ',
      '+7.999.123.45.67',
    ];
    expect(new Set(forms.map(normalisePhone))).toEqual(new Set(['+79991234567']));
  });

  it('keeps national numbers as digits', () => {
    expect(normalisePhone('8 (999) 123-45-67')).toBe('89991234567');
    expect(normalisePhone('020 7946 0000')).toBe('02079460000');
  });

  it('rejects what is not a phone number', () => {
    for (const bad of [
      '',
      'call me',
      '12345',
      '+1234567890123456',
      '+7 999 abc',
      '<script>',
      '++7999',
    ]) {
      expect(normalisePhone(bad), bad).toBeNull();
    }
  });
});
