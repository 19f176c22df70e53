import { describe, expect, it } from 'vitest';
import { integerAxis } from '../../web/admin/src/components/analytics/axisTicks.js';

describe('integer chart axis', () => {
  it('starts at zero, steps by whole numbers, and reaches the maximum', () => {
    expect(integerAxis(0)).toEqual({ max: 1, ticks: [0, 1] });
    expect(integerAxis(1)).toEqual({ max: 1, ticks: [0, 1] });
    expect(integerAxis(2)).toEqual({ max: 2, ticks: [0, 1, 2] });
    expect(integerAxis(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
    expect(integerAxis(4)).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
    expect(integerAxis(5)).toEqual({ max: 6, ticks: [0, 2, 4, 6] });
    expect(integerAxis(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(integerAxis(13)).toEqual({ max: 15, ticks: [0, 5, 10, 15] });
    expect(integerAxis(100)).toEqual({ max: 100, ticks: [0, 50, 100] });
    expect(integerAxis(1234)).toEqual({ max: 1500, ticks: [0, 500, 1000, 1500] });
  });

  it('never gives a fraction, a negative tick or more ticks than asked, for any count', () => {
    for (let max = 0; max <= 2000; max++) {
      for (const maxTicks of [3, 5]) {
        const axis = integerAxis(max, maxTicks);
        expect(axis.ticks[0]).toBe(0);
        expect(axis.ticks.at(-1)).toBe(axis.max);
        expect(axis.max).toBeGreaterThanOrEqual(Math.max(1, max));
        expect(axis.ticks.length).toBeLessThanOrEqual(maxTicks);
        for (const tick of axis.ticks) expect(Number.isInteger(tick)).toBe(true);
      }
    }
    // Odd input: fractions round up, nonsense is an empty axis.
    expect(integerAxis(0.4)).toEqual({ max: 1, ticks: [0, 1] });
    expect(integerAxis(Number.NaN)).toEqual({ max: 1, ticks: [0, 1] });
    expect(integerAxis(-3)).toEqual({ max: 1, ticks: [0, 1] });
  });
});
