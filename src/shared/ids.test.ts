import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.js';

/** RFC 9562: lower-case hex 8-4-4-4-12, version nibble 7, variant bits 10xx (8, 9, a, b). */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The first 48 bits (12 hex digits) as Unix milliseconds. */
function timestampOf(id: string): number {
  return parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

describe('uuidv7', () => {
  it('has the RFC 9562 version 7 layout', () => {
    for (let i = 0; i < 1000; i++) {
      expect(uuidv7()).toMatch(UUID_V7);
    }
  });

  it('keeps the version and variant bits at the extremes of the time range', () => {
    for (const now of [0, 1, 2 ** 48 - 1, Date.UTC(2025, 0, 1)]) {
      const id = uuidv7(now);
      expect(id).toMatch(UUID_V7);
      expect(timestampOf(id)).toBe(now);
    }
  });

  it('is unique over 10 000 ids, even within the same millisecond', () => {
    const now = Date.now();
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(uuidv7(i % 2 === 0 ? now : undefined));
    expect(ids.size).toBe(10_000);
  });

  it('sorts (as plain strings) in the order of the times it was made at', () => {
    const start = Date.UTC(2024, 5, 1, 12, 0, 0);
    const times = [0, 1, 2, 255, 256, 1000, 65_535, 65_536, 86_400_000, 10 * 365 * 86_400_000];
    const ids = times.map((offset) => uuidv7(start + offset));
    const shuffled = [...ids].reverse();
    expect(shuffled.sort()).toEqual(ids);
  });

  it('encodes the given time in the first 48 bits', () => {
    const now = Date.UTC(2025, 6, 14, 8, 30, 15, 123);
    const id = uuidv7(now);
    expect(timestampOf(id)).toBe(now);
    expect(new Date(timestampOf(id)).toISOString()).toBe('2025-07-14T08:30:15.123Z');
  });

  it('defaults to the current time', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(after);
  });
});
