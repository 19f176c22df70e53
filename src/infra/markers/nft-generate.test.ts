import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateNftMarker,
  NftGenerateError,
  nftGeneratorFlags,
  pyramidMinDpi,
} from './nft-generate.js';

/** Pure parts of generation; the real generator runs in build-marker.int.test.ts. */

const allowable = (w: number, h: number, dpi: number): number =>
  Math.trunc((28 / Math.min(w, h)) * dpi * 1000) / 1000;

describe('pyramidMinDpi', () => {
  it('lands the 640 px portrait pyramid exactly on its dpi', () => {
    // 108 / 2^(12/3) = 6.75: 13 levels, the top one being the image itself.
    expect(pyramidMinDpi(480, 640, 108)).toBe(6.75);
  });

  it('is always allowed by the generator and an exact number of 1/3-octave steps below the dpi (rounded up)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 28, max: 4096 }),
        fc.integer({ min: 28, max: 4096 }),
        fc.integer({ min: 10, max: 1200 }),
        (w, h, dpi) => {
          const min = pyramidMinDpi(w, h, dpi);
          expect(min).toBeGreaterThanOrEqual(allowable(w, h, dpi));
          expect(min).toBeLessThanOrEqual(dpi);
          // dpi / 2^(k/3) for a whole k, rounded up to 4 decimals.
          const exact = dpi / 2 ** (Math.round(3 * Math.log2(dpi / min)) / 3);
          expect(min - exact).toBeGreaterThanOrEqual(0);
          expect(min - exact).toBeLessThanOrEqual(1.0001e-4);
        },
      ),
    );
  });
});

describe('nftGeneratorFlags', () => {
  it('sets the levels and the pyramid minimum, and nothing the C parser mangles', () => {
    const flags = nftGeneratorFlags(480, 640, 108);
    expect(flags).toBe('-level=2 -leveli=1 -min_dpi=6.7500');
    // markerCreator.cpp: "-h"/"-?" anywhere print usage and exit; these two are mis-parsed.
    expect(flags).not.toMatch(/-h|-\?|-max_thresh|-feature_density/);
  });
});

describe('generateNftMarker input validation', () => {
  it.each([
    ['wrong byte count', { grey: Buffer.alloc(10), width: 100, height: 100, dpi: 72 }],
    ['too small', { grey: Buffer.alloc(20 * 20), width: 20, height: 20, dpi: 72 }],
    ['non-integer size', { grey: Buffer.alloc(100 * 100), width: 100.5, height: 100, dpi: 72 }],
    ['bad dpi', { grey: Buffer.alloc(100 * 100), width: 100, height: 100, dpi: Number.NaN }],
  ])('rejects %s before starting a process', async (_label, input) => {
    let spawned = false;
    const attempt = generateNftMarker(input, {
      timeoutMs: 1000,
      onSpawn: () => {
        spawned = true;
      },
    });
    await expect(attempt).rejects.toThrow(NftGenerateError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input' });
    expect(spawned).toBe(false);
  });
});
