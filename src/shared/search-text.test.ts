import { describe, expect, it } from 'vitest';
import { escapeLike, foldForSearch } from './search-text.js';

describe('foldForSearch', () => {
  it('folds case (Cyrillic too), ё, width forms and whitespace', () => {
    expect(foldForSearch('  Анна   ПЕТРОВА ')).toBe('анна петрова');
    expect(foldForSearch('Пётр Ёлкин')).toBe('петр елкин');
    expect(foldForSearch('ＡＮＮＡ')).toBe('anna');
  });
});

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\x')).toBe('50\\%\\_off\\\\x');
    expect(escapeLike('plain')).toBe('plain');
  });
});
