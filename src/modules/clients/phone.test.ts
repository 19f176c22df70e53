import { describe, expect, it } from 'vitest';
import { phoneSearchDigits } from './phone.js';

/** What a search finds: a stored phone matches when it contains one of the digit strings. */
const finds = (q: string, stored: string) =>
  phoneSearchDigits(q, 'RU').some((digits) => stored.includes(digits));

describe('phoneSearchDigits', () => {
  it('finds a stored E.164 number typed in any format, complete or partial', () => {
    for (const q of [
      '8 912 345-67-89',
      '8 (912) 345-67-89',
      '+7 912 345 67 89',
      '912 345-67-89',
      '+79123456789',
      '8 912 345',
      '+7 912',
      '345-67',
      '4567',
    ]) {
      expect(finds(q, '+79123456789'), q).toBe(true);
    }
  });

  it('does not find another number', () => {
    for (const q of ['8 912 345-67-88', '+44 912', '8 913']) {
      expect(finds(q, '+79123456789'), q).toBe(false);
    }
  });

  it('does not widen a short query by dropping the trunk prefix', () => {
    expect(phoneSearchDigits('89', 'RU')).toEqual(['89']);
  });

  it('keeps the digits of a query that is not a phone (a name with a number)', () => {
    expect(phoneSearchDigits('Анна 2', 'RU')).toEqual(['2']);
    expect(phoneSearchDigits('Анна', 'RU')).toEqual([]);
  });
});
