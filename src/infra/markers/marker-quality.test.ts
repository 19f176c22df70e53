import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessMarkerQuality, ramp, repetitionScore } from './marker-quality.js';
import type { ImageMeasurements, QualityInput } from './marker-quality.js';

/** Measurements of the generated test portrait (see marker-quality.ts). */
const good: ImageMeasurements = {
  sourceWidth: 1500,
  sourceHeight: 2000,
  contrast: 48,
  entropy: 6.9,
  sharpness: 0.084,
  repetition: 0.13,
};
const goodFeatures = { trackingPoints: 191, freakPoints: 3354 };

const assess = (image: Partial<ImageMeasurements>, rest: Omit<QualityInput, 'image'> = {}) =>
  assessMarkerQuality({ image: { ...good, ...image }, ...rest });

describe('assessMarkerQuality', () => {
  it('scores a good portrait near 100 with no advice', () => {
    const quality = assess(
      {},
      { features: goodFeatures, selfTest: { found: true, cornerErrorPx: 1.4 } },
    );
    expect(quality.score).toBeGreaterThanOrEqual(95);
    expect(quality.advice).toEqual([]);
    expect(quality.checks.map((c) => c.id)).toEqual([
      'resolution',
      'contrast',
      'detail',
      'sharpness',
      'repetition',
      'features',
      'self_test',
    ]);
  });

  it.each([
    ['too small', { sourceWidth: 300, sourceHeight: 400 }, /small \(300×400 px\)/],
    ['too low contrast', { contrast: 10 }, /Low contrast/],
    ['few tones', { entropy: 3.5 }, /Few tones/],
    ['blurry', { sharpness: 0.02 }, /blurry/],
    ['too repetitive', { repetition: 0.95 }, /repetitive/],
  ] as const)('advises on an image that is %s and lowers the score', (_label, image, advice) => {
    const quality = assess(image, { features: goodFeatures });
    expect(quality.advice).toHaveLength(1);
    expect(quality.advice[0]).toMatch(advice);
    expect(quality.score).toBeLessThan(95);
    expect(quality.score).toBeGreaterThan(20);
  });

  it('advises on too few features and caps the score of an unusable marker', () => {
    const few = assess({}, { features: { trackingPoints: 40, freakPoints: 900 } });
    expect(few.advice.join(' ')).toMatch(
      /Too few trackable features \(40 tracking, 900 recognition/,
    );
    const unusable = assess({}, { features: { trackingPoints: 12, freakPoints: 900 } });
    expect(unusable.score).toBeLessThanOrEqual(15);
    expect(
      assess({}, { features: { trackingPoints: 191, freakPoints: 30 } }).score,
    ).toBeLessThanOrEqual(15);
  });

  it('reports a flat image with one clear message', () => {
    const quality = assess({ contrast: 0, entropy: 0, sharpness: 0, repetition: 0 });
    expect(quality.score).toBeLessThanOrEqual(5);
    expect(quality.advice).toEqual([expect.stringMatching(/single flat colour/)]);
  });

  it('takes the self-test into account', () => {
    const lost = assess(
      {},
      { features: goodFeatures, selfTest: { found: false, cornerErrorPx: null } },
    );
    expect(lost.score).toBeLessThanOrEqual(20);
    expect(lost.advice.join(' ')).toMatch(/simulated camera view/);
    const shaky = assess(
      {},
      { features: goodFeatures, selfTest: { found: true, cornerErrorPx: 4.5 } },
    );
    expect(shaky.advice.join(' ')).toMatch(/simulated camera view/);
    expect(shaky.score).toBeGreaterThan(80);
  });

  it('works before generation, from image statistics alone', () => {
    const quality = assess({});
    expect(quality.checks.some((c) => c.id === 'features')).toBe(false);
    expect(quality.score).toBe(100);
  });

  it('keeps the score in 0–100 and never rises when one measurement gets worse', () => {
    const measurement = fc.record({
      sourceWidth: fc.integer({ min: 1, max: 10_000 }),
      sourceHeight: fc.integer({ min: 1, max: 10_000 }),
      contrast: fc.double({ min: 0, max: 128, noNaN: true }),
      entropy: fc.double({ min: 0, max: 8, noNaN: true }),
      sharpness: fc.double({ min: 0, max: 1, noNaN: true }),
      repetition: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(measurement, fc.double({ min: 0, max: 1, noNaN: true }), (image, factor) => {
        const base = assessMarkerQuality({ image, features: goodFeatures });
        expect(base.score).toBeGreaterThanOrEqual(0);
        expect(base.score).toBeLessThanOrEqual(100);
        expect(Number.isInteger(base.score)).toBe(true);
        const worse = assessMarkerQuality({
          image: { ...image, contrast: image.contrast * factor },
          features: goodFeatures,
        });
        expect(worse.score).toBeLessThanOrEqual(base.score);
        const moreRepetitive = assessMarkerQuality({
          image: { ...image, repetition: image.repetition + (1 - image.repetition) * factor },
          features: goodFeatures,
        });
        expect(moreRepetitive.score).toBeLessThanOrEqual(base.score);
      }),
    );
  });
});

describe('ramp', () => {
  it('maps linearly between bad and good, in either direction, clamped', () => {
    expect(ramp(5, 0, 10)).toBe(0.5);
    expect(ramp(-1, 0, 10)).toBe(0);
    expect(ramp(11, 0, 10)).toBe(1);
    expect(ramp(0.4, 0.8, 0.4)).toBe(1);
    expect(ramp(0.6, 0.8, 0.4)).toBeCloseTo(0.5);
    expect(ramp(Number.NaN, 0, 1)).toBe(0);
  });
});

describe('repetitionScore', () => {
  const image = (w: number, h: number, f: (x: number, y: number) => number): Uint8Array => {
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = f(x, y);
    return out;
  };
  const noise = (seed: number) => {
    let a = seed;
    return () => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a >>> 24;
    };
  };

  it('is high for periodic patterns', () => {
    const checker = image(80, 60, (x, y) =>
      (Math.floor(x / 6) + Math.floor(y / 6)) % 2 ? 230 : 20,
    );
    expect(repetitionScore(checker, 80, 60)).toBeGreaterThan(0.9);
    const stripes = image(60, 80, (x) => (x % 7 < 3 ? 40 : 200));
    expect(repetitionScore(stripes, 60, 80)).toBeGreaterThan(0.9);
  });

  it('is low for irregular detail', () => {
    const next = noise(42);
    const random = image(80, 60, () => next());
    expect(repetitionScore(random, 80, 60)).toBeLessThan(0.3);
  });

  it('is 0 without detail (flat, smooth gradient)', () => {
    expect(repetitionScore(new Uint8Array(80 * 60).fill(128), 80, 60)).toBe(0);
    const gradient = image(80, 60, (x, y) => Math.round((x + y) * 1.5));
    expect(repetitionScore(gradient, 80, 60)).toBe(0);
  });

  it('rejects a size mismatch and tolerates tiny images', () => {
    expect(() => repetitionScore(new Uint8Array(10), 4, 4)).toThrow(/size mismatch/);
    expect(repetitionScore(new Uint8Array(25).fill(9), 5, 5)).toBe(0);
  });
});
