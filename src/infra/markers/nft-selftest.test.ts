import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyHomography,
  DEFAULT_VIEWS,
  fitViews,
  idealCameraParam,
  loadDefaultCameraParam,
  markerCorners,
  markerPixelToMm,
  maxPointDistance,
  parseCameraParam,
  poseFromTracker,
  poseHomography,
  projectMm,
  reprojectCorners,
  viewPose,
} from './nft-selftest.js';
import type { CameraParam, MarkerGeometry, Pose } from './nft-selftest.js';

/** The self-test's geometry: what the frames are drawn with and the tracker's poses are checked with. */

let cameraFile: Buffer;
let camera: CameraParam;
const marker: MarkerGeometry = { width: 480, height: 640, dpi: 108 };

beforeAll(async () => {
  cameraFile = await loadDefaultCameraParam();
  camera = parseCameraParam(cameraFile);
});

/** A pose as the tracker reports it: 3×4 row-major. */
const trackerPose = (pose: Pose): number[] => [
  ...[pose.r[0], pose.r[1], pose.r[2], pose.t[0]],
  ...[pose.r[3], pose.r[4], pose.r[5], pose.t[1]],
  ...[pose.r[6], pose.r[7], pose.r[8], pose.t[2]],
];

describe('camera parameters', () => {
  it('parses the calibrated 640×480 camera shipped with the marker creator', () => {
    expect(camera.width).toBe(640);
    expect(camera.height).toBe(480);
    expect(camera.mat[0]).toBeCloseTo(609.37, 1); // fx
    expect(camera.mat[5]).toBeCloseTo(606.52, 1); // fy
    expect(camera.mat[2]).toBeCloseTo(323.45, 1); // cx
    expect(camera.dist).toHaveLength(9);
    expect(camera.dist[0]).not.toBe(0);
  });

  it('removes lens distortion, keeping the intrinsics', () => {
    const ideal = parseCameraParam(idealCameraParam(cameraFile));
    expect(ideal.mat).toEqual(camera.mat);
    expect(ideal.dist.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(ideal.dist[8]).toBe(1);
    expect(ideal.dist.slice(4, 8)).toEqual(camera.dist.slice(4, 8));
  });

  it('rejects files of the wrong size', () => {
    expect(() => parseCameraParam(Buffer.alloc(100))).toThrow(/unexpected size/);
  });
});

describe('marker geometry', () => {
  it('maps marker pixels to mm with the origin at the bottom-left and Y up', () => {
    expect(markerPixelToMm(marker, 0, 640)).toEqual([0, 0]);
    const [x, y] = markerPixelToMm(marker, 480, 0);
    expect(x).toBeCloseTo((480 / 108) * 25.4);
    expect(y).toBeCloseTo((640 / 108) * 25.4);
  });

  it('draws the straight view upright, centred and at the requested height', () => {
    const view = { heightPx: 380 };
    const h = poseHomography(camera, marker, viewPose(camera, marker, view));
    const [tl, tr, br, bl] = markerCorners(marker).map(([u, v]) => applyHomography(h, u, v));
    if (!tl || !tr || !br || !bl) throw new Error('four corners expected');
    expect(bl[1] - tl[1]).toBeCloseTo(380, 6); // upright: top above bottom, exact height
    expect(tr[0]).toBeGreaterThan(tl[0]);
    expect((tl[0] + br[0]) / 2).toBeCloseTo(camera.mat[2], 6); // centred on the principal point
    expect((tl[1] + br[1]) / 2).toBeCloseTo(camera.mat[6], 6);
    expect(tr[1]).toBeCloseTo(tl[1], 6);
  });

  it.each(DEFAULT_VIEWS)('keeps the $name view inside the 640×480 frame', (view) => {
    const h = poseHomography(camera, marker, viewPose(camera, marker, view));
    for (const [u, v] of markerCorners(marker)) {
      const [x, y] = applyHomography(h, u, v);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(640);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(480);
    }
  });

  it('fits the default views to small and wide markers, inside the frame', () => {
    expect(fitViews(DEFAULT_VIEWS, marker)).toEqual(DEFAULT_VIEWS);
    for (const small of [
      { width: 240, height: 320, dpi: 54 },
      { width: 640, height: 240, dpi: 108 },
      { width: 640, height: 480, dpi: 108 },
    ]) {
      const views = fitViews(DEFAULT_VIEWS, small);
      for (const view of views) {
        expect(view.heightPx).toBeLessThanOrEqual(0.75 * small.height + 1e-9);
        const h = poseHomography(camera, small, viewPose(camera, small, view));
        for (const [u, v] of markerCorners(small)) {
          const [x, y] = applyHomography(h, u, v);
          expect(x).toBeGreaterThan(0);
          expect(x).toBeLessThan(640);
          expect(y).toBeGreaterThan(0);
          expect(y).toBeLessThan(480);
        }
      }
    }
  });

  it('agrees with projecting the pose: the homography is the pose seen by the camera', () => {
    const pose = viewPose(camera, marker, { heightPx: 300, pitch: 35, yaw: 25, roll: 8 });
    const h = poseHomography(camera, marker, pose);
    for (const [u, v] of [
      [0, 0],
      [123, 456],
      [480, 640],
    ] as const) {
      const [x, y] = markerPixelToMm(marker, u, v);
      const viaPose = projectMm(camera, pose, x, y);
      const viaHomography = applyHomography(h, u, v);
      expect(maxPointDistance([viaPose], [viaHomography])).toBeLessThan(1e-9);
    }
  });

  it('gives zero corner error for the exact pose and measures a shifted one', () => {
    const pose = viewPose(camera, marker, DEFAULT_VIEWS[1] ?? { heightPx: 300 });
    const h = poseHomography(camera, marker, pose);
    const drawn = markerCorners(marker).map(([u, v]) => applyHomography(h, u, v));
    const exact = reprojectCorners(camera, marker, poseFromTracker(trackerPose(pose)));
    expect(maxPointDistance(exact, drawn)).toBeLessThan(1e-9);
    // 1 mm sideways at the print's distance: a few pixels.
    const shifted = {
      ...pose,
      t: [pose.t[0] + 1, pose.t[1], pose.t[2]] as [number, number, number],
    };
    const error = maxPointDistance(reprojectCorners(camera, marker, shifted), drawn);
    expect(error).toBeGreaterThan(1);
    expect(error).toBeLessThan(5);
  });

  it('rejects malformed tracker poses', () => {
    expect(() => poseFromTracker([1, 2, 3])).toThrow(/invalid tracker pose/);
    expect(() => poseFromTracker(new Array<number>(12).fill(Number.NaN))).toThrow(
      /invalid tracker pose/,
    );
  });
});
