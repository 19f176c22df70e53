import { describe, expect, it } from 'vitest';
import { formatRateLimitRule, parseRateLimitRule } from './rate-limit-rule.js';

describe('parseRateLimitRule', () => {
  it.each([
    ['5/minute', 5, 60_000],
    ['100/min', 100, 60_000],
    ['10/m', 10, 60_000],
    ['2/second', 2, 1000],
    ['7/s', 7, 1000],
    ['50/hour', 50, 3_600_000],
    ['50/hours', 50, 3_600_000],
    ['30/10s', 30, 10_000],
    ['30/5minutes', 30, 300_000],
    [' 5 / Minute ', 5, 60_000],
  ])('%s is %i per %i ms', (text, max, windowMs) => {
    expect(parseRateLimitRule(text)).toEqual({ max, windowMs });
  });

  it.each(['', '5', 'minute', '/minute', '0/minute', '5/0s', '5/day', '5/ms', '1.5/minute', 'x/m'])(
    'refuses %j',
    (text) => {
      expect(parseRateLimitRule(text)).toBeNull();
    },
  );

  it('formats a rule back the way it is written in the configuration', () => {
    expect(formatRateLimitRule({ max: 5, windowMs: 60_000 })).toBe('5/minute');
    expect(formatRateLimitRule({ max: 9, windowMs: 3_600_000 })).toBe('9/hour');
    expect(formatRateLimitRule({ max: 30, windowMs: 10_000 })).toBe('30/10s');
  });
});
