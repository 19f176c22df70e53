import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cameraParamsFor, FOCAL_PER_LONG_SIDE, parseFrameSize } from './camera-model.js';

const require = createRequire(import.meta.url);
const cameraPara = path.join(
  path.dirname(require.resolve('@webarkit/nft-marker-creator-app/package.json')),
  'demo',
  'public',
  'resources',
  'camera_para.dat',
);

describe('the camera model', () => {
  it('writes ARToolKit camera parameters in the layout of camera_para.dat', async () => {
    const reference = await readFile(cameraPara);
    const ours = cameraParamsFor({ width: 640, height: 480 });
    expect(ours.length).toBe(reference.length);
    expect(ours.readInt32BE(0)).toBe(640);
    expect(ours.readInt32BE(4)).toBe(480);
    // Same focal length as the reference for its own 640×480 frame, centred, no distortion.
    expect(ours.readDoubleBE(8)).toBeCloseTo(reference.readDoubleBE(8), 3);
    expect(ours.readDoubleBE(8 + 5 * 8)).toBeCloseTo(reference.readDoubleBE(8), 3);
    expect(ours.readDoubleBE(8 + 2 * 8)).toBe(320);
    expect(ours.readDoubleBE(8 + 6 * 8)).toBe(240);
    expect(ours.readDoubleBE(104)).toBe(0);
    expect(ours.readDoubleBE(104 + 8 * 8)).toBe(1);
  });

  it('keeps square pixels and the long side’s field of view in any shape', () => {
    for (const frame of [
      { width: 370, height: 208 },
      { width: 208, height: 370 },
      { width: 240, height: 320 },
    ]) {
      const params = cameraParamsFor(frame);
      const fx = params.readDoubleBE(8);
      const fy = params.readDoubleBE(8 + 5 * 8);
      expect(fx).toBe(fy);
      expect(fx).toBeCloseTo(FOCAL_PER_LONG_SIDE * Math.max(frame.width, frame.height), 9);
      expect(params.readDoubleBE(8 + 2 * 8)).toBe(frame.width / 2);
      expect(params.readDoubleBE(8 + 6 * 8)).toBe(frame.height / 2);
    }
  });

  it('parses only sane frame sizes', () => {
    expect(parseFrameSize('368x207.dat')).toEqual({ width: 368, height: 207 });
    for (const bad of [
      '0x10.dat',
      '10x10.dat',
      '5000x200.dat',
      '368x207',
      'a.dat',
      '368x207.dat/',
    ]) {
      expect(parseFrameSize(bad)).toBeNull();
    }
  });
});
