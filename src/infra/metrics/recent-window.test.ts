import { describe, expect, it } from 'vitest';
import { createRecentWindow } from './recent-window.js';

describe('the recent request window', () => {
  it('counts by status class and estimates quantiles inside the buckets', () => {
    let t = 1_000_000;
    const window = createRecentWindow({ windowSeconds: 300, slots: 10, now: () => t });
    for (let i = 0; i < 95; i++) window.observe('2xx', 0.004);
    for (let i = 0; i < 5; i++) window.observe('5xx', 0.15);
    const { requests, quantiles } = window.summary();
    expect(requests).toEqual({ '2xx': 95, '5xx': 5 });
    // Rank 50 of 95 requests in (0, 0.005]: interpolated.
    expect(quantiles?.['0.5']).toBeCloseTo((0.005 * 50) / 95, 6);
    expect(quantiles?.['0.95']).toBeCloseTo(0.005, 6);
    // Rank 99 falls in (0.1, 0.2], 4 of its 5 requests in.
    expect(quantiles?.['0.99']).toBeCloseTo(0.1 + (0.1 * 4) / 5, 6);
    t += 1000;
    expect(window.summary().requests['2xx']).toBe(95);
  });

  it('forgets requests older than the window, slot by slot', () => {
    let t = 0;
    const window = createRecentWindow({ windowSeconds: 300, slots: 10, now: () => t });
    window.observe('2xx', 0.01);
    t = 150_000;
    window.observe('4xx', 0.01);
    t = 299_999;
    expect(window.summary().requests).toEqual({ '2xx': 1, '4xx': 1 });
    t = 300_000;
    expect(window.summary().requests).toEqual({ '4xx': 1 });
    t = 480_000;
    const empty = window.summary();
    expect(empty.requests).toEqual({});
    expect(empty.quantiles).toBeUndefined();
  });

  it('reports the last bound for requests slower than every bucket', () => {
    const window = createRecentWindow({ windowSeconds: 60, slots: 6, now: () => 0 });
    window.observe('2xx', 42);
    expect(window.summary().quantiles?.['0.5']).toBe(10);
  });
});
