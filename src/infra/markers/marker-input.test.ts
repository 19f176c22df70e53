import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  makeFlatImage,
  makeOtherImage,
  makePortraitFixture,
} from '../../../test/fixtures/portrait.js';
import { MarkerInputError, markerDpi, prepareMarkerInput } from './marker-input.js';

const mean = (bytes: Uint8Array): number => bytes.reduce((sum, b) => sum + b, 0) / bytes.length;

describe('prepareMarkerInput', () => {
  it('turns the portrait into 640 px raw greyscale with a 150 mm print size', async () => {
    const input = await prepareMarkerInput(await makePortraitFixture());
    expect(input).toMatchObject({
      width: 480,
      height: 640,
      dpi: 108,
      sourceWidth: 1500,
      sourceHeight: 2000,
    });
    expect(input.grey.length).toBe(480 * 640);
    expect((input.height / input.dpi) * 25.4).toBeCloseTo(150.5, 1);
  });

  it('applies EXIF orientation before anything else', async () => {
    // Stored 400×300: left half dark, right half light; orientation 6 = rotate 90° clockwise,
    // so the dark half ends up on top of a 300×400 portrait.
    const stored = await sharp({
      create: { width: 400, height: 300, channels: 3, background: '#ffffff' },
    })
      .composite([
        {
          input: { create: { width: 200, height: 300, channels: 3, background: '#000000' } },
          left: 0,
          top: 0,
        },
      ])
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const input = await prepareMarkerInput(stored);
    expect([input.width, input.height, input.sourceWidth, input.sourceHeight]).toEqual([
      300, 400, 300, 400,
    ]);
    const half = input.width * (input.height / 2);
    expect(mean(input.grey.subarray(0, half))).toBeLessThan(30);
    expect(mean(input.grey.subarray(half))).toBeGreaterThan(225);
  });

  it('flattens transparency onto white paper', async () => {
    const transparentBlack = await sharp({
      create: { width: 300, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const input = await prepareMarkerInput(transparentBlack);
    expect(Math.min(...input.grey)).toBe(255);
  });

  it('rejects images that are too small or not images', async () => {
    const tiny = await sharp({
      create: { width: 150, height: 150, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer();
    await expect(prepareMarkerInput(tiny)).rejects.toMatchObject({ code: 'image_too_small' });
    await expect(prepareMarkerInput(Buffer.from('not an image'))).rejects.toThrow(MarkerInputError);
    await expect(prepareMarkerInput(Buffer.from('not an image'))).rejects.toMatchObject({
      code: 'unreadable_image',
    });
  });
});

describe('markerDpi', () => {
  it('is the integer dpi for the nominal print size', () => {
    expect(markerDpi(640)).toBe(108);
    expect(markerDpi(640, 300)).toBe(54);
    expect(markerDpi(1)).toBe(1);
  });
});

describe('test fixtures', () => {
  it('makes the same portrait every time, different ones per seed', async () => {
    const [a, b, c] = await Promise.all([
      makePortraitFixture(),
      makePortraitFixture(),
      makePortraitFixture({ seed: 2, width: 600, height: 800 }),
    ]);
    expect(a.equals(b)).toBe(true);
    expect(await sharp(a).metadata()).toMatchObject({ format: 'jpeg', width: 1500, height: 2000 });
    expect(await sharp(c).metadata()).toMatchObject({ width: 600, height: 800 });
  });

  it('makes a flat image and a different busy image', async () => {
    const flat = await sharp(await makeFlatImage()).stats();
    expect(flat.channels.every((c) => c.stdev < 1)).toBe(true);
    const other = await makeOtherImage(7);
    expect(await sharp(other).metadata()).toMatchObject({ width: 1600, height: 1200 });
    expect((await sharp(other).stats()).entropy).toBeGreaterThan(6);
  });
});
