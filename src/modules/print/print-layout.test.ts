import { describe, expect, it } from 'vitest';
import {
  bleedPixels,
  customSizeProblem,
  orientedBox,
  pageSizeMm,
  printSizeMm,
  sizeLabel,
} from './print-layout.js';

describe('print layout', () => {
  const upright = { width: 1200, height: 1800 };
  const landscape = { width: 1800, height: 1200 };

  it('fills a format that has the photo’s aspect ratio exactly', () => {
    expect(printSizeMm({ format: '10x15' }, upright)).toEqual({ widthMm: 100, heightMm: 150 });
    expect(printSizeMm({ format: '20x30' }, upright)).toEqual({ widthMm: 200, heightMm: 300 });
  });

  it('turns the box to a landscape photo; a square photo keeps it upright', () => {
    expect(orientedBox({ format: '13x18' }, landscape)).toEqual({ widthMm: 180, heightMm: 130 });
    expect(printSizeMm({ format: '10x15' }, landscape)).toEqual({ widthMm: 150, heightMm: 100 });
    expect(orientedBox({ format: 'a4' }, { width: 500, height: 500 })).toEqual({
      widthMm: 210,
      heightMm: 297,
    });
  });

  it('fits the whole photo inside the box (never crops, never exceeds the paper)', () => {
    // 3:4 on 10×15: the width limits.
    expect(printSizeMm({ format: '10x15' }, { width: 3000, height: 4000 })).toEqual({
      widthMm: 100,
      heightMm: 133.33,
    });
    // 2:3 on A4 (1:√2): the height limits.
    expect(printSizeMm({ format: 'a4' }, upright)).toEqual({ widthMm: 198, heightMm: 297 });
    // Square on 10×15: 100×100, not 150×150.
    expect(printSizeMm({ format: '10x15' }, { width: 800, height: 800 })).toEqual({
      widthMm: 100,
      heightMm: 100,
    });
    // A custom box given landscape for an upright photo is turned.
    expect(printSizeMm({ format: 'custom', widthMm: 120, heightMm: 80 }, upright)).toEqual({
      widthMm: 80,
      heightMm: 120,
    });
  });

  it('refuses custom sizes that are missing or outside 50–500 mm', () => {
    expect(customSizeProblem(100, 150)).toBeNull();
    expect(customSizeProblem(50, 500)).toBeNull();
    expect(customSizeProblem(undefined, 150)).toMatch(/needs widthMm and heightMm/);
    expect(customSizeProblem(49.9, 150)).toMatch(/widthMm must be between 50 and 500/);
    expect(customSizeProblem(100, 501)).toMatch(/heightMm/);
    expect(customSizeProblem(Number.NaN, 100)).not.toBeNull();
  });

  it('sizes the bleed in the photo’s pixels and the page around trim + bleed + marks', () => {
    expect(bleedPixels(1200, { widthMm: 100, heightMm: 150 })).toBe(36);
    expect(bleedPixels(1000, { widthMm: 300, heightMm: 200 })).toBe(10);
    expect(pageSizeMm({ widthMm: 100, heightMm: 150 })).toEqual({ widthMm: 126, heightMm: 176 });
    expect(sizeLabel({ widthMm: 100, heightMm: 133.33 })).toBe('100x133.3');
  });
});
