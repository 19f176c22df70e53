import { describe, expect, it } from 'vitest';
import { isPhoneRegion, normalisePhone } from './phone.js';

describe('normalisePhone (E.164, read in a region)', () => {
  it('gives one number for the ways Russians write it', () => {
    const forms = [
      '8 (912) 345-67-89',
      '8 912 345-67-89',
      '+7 912 345 67 89',
      '912 345-67-89',
      '+79123456789',
      '89123456789',
      ' +7 (912) 345-67-89 ',
      '+7.912.345.67.89',
      '0079123456789',
    ];
    expect(new Set(forms.map((form) => normalisePhone(form, 'RU')))).toEqual(
      new Set(['+79123456789']),
    );
  });

  it('keeps numbers of other countries typed with +, whatever the region', () => {
    expect(normalisePhone('+44 20 7946 0000', 'RU')).toBe('+442079460000');
    expect(normalisePhone('+1 (202) 555-0143', 'RU')).toBe('+12025550143');
    expect(normalisePhone('+49 30 901820', 'RU')).toBe('+4930901820');
    expect(normalisePhone('+7 701 234 5678', 'RU')).toBe('+77012345678'); // Kazakhstan
  });

  it('reads a number without + in the configured region', () => {
    expect(normalisePhone('020 7946 0000', 'GB')).toBe('+442079460000');
    expect(normalisePhone('030 901820', 'DE')).toBe('+4930901820');
    // The same digits are no Russian number.
    expect(normalisePhone('020 7946 0000', 'RU')).toBeNull();
  });

  it('rejects what is not a valid phone number', () => {
    for (const bad of [
      '',
      '   ',
      'call me',
      '12345',
      '8 912 345-67-8', // a digit short
      '8 912 345-67-890', // a digit too many
      '+7 912 345 67 89 ext 5',
      '+7 999 abc',
      '<script>',
      '++79123456789',
      '+1234567890123456',
      '8 (912) 345-67-89; drop table clients',
    ]) {
      expect(normalisePhone(bad, 'RU'), bad).toBeNull();
    }
  });
});

describe('isPhoneRegion', () => {
  it('accepts upper-case regions libphonenumber knows, nothing else', () => {
    expect(['RU', 'KZ', 'DE', 'US'].every(isPhoneRegion)).toBe(true);
    for (const bad of ['ru', 'XX', 'RUS', '', '7', 'EU'])
      expect(isPhoneRegion(bad), bad).toBe(false);
  });
});
