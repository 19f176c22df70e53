import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MARKER_ERROR_CODES } from './error-codes.js';

describe('error codes', () => {
  it.each([
    ['ERROR_CODES', ERROR_CODES],
    ['MARKER_ERROR_CODES', MARKER_ERROR_CODES],
  ])('%s lists each code once, in snake_case', (_name, codes: readonly string[]) => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
