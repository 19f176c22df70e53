import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import { parseRange } from './send-stored.js';

describe('parseRange', () => {
  it('reads single byte ranges, clamping the end to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
  });

  it('ignores what it does not serve partially (the whole file is sent)', () => {
    expect(parseRange(undefined, 1000)).toBeUndefined();
    expect(parseRange('bytes=0-1,5-9', 1000)).toBeUndefined();
    expect(parseRange('items=0-1', 1000)).toBeUndefined();
    expect(parseRange('bytes=-', 1000)).toBeUndefined();
  });

  it('refuses unsatisfiable ranges with 416', () => {
    for (const header of ['bytes=1000-', 'bytes=1000-1001', 'bytes=5-4', 'bytes=-0']) {
      expect(() => parseRange(header, 1000), header).toThrow(AppError);
      try {
        parseRange(header, 1000);
      } catch (error) {
        expect((error as AppError).httpStatus).toBe(416);
      }
    }
  });
});
