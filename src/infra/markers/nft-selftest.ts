import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { ChildJobError, runChildJob, workerPath } from './child-job.js';
import { parseIset } from './nft-format.js';
import type { NftMarkerFileSet } from './nft-format.js';
import type { SelfTestJob, SelfTestSuccess } from './workers/protocol.js';

/**
 * Proves a marker is trackable without a browser: synthetic 640×480 camera
 * frames of the marker's own image, straight-on and in perspective, go through the real
 * tracker (`@webarkit/jsartoolkit-nft`, wasm, in a child process, a fresh instance per
 * scenario). The pose it returns is checked by reprojecting the image's corners with the
 * camera matrix and comparing with where we drew them; `found` alone proves little.
 * Frames without the portrait (blank, another picture) must never be found.
 *
 * Geometry lives here (typed, unit-tested); the worker only rasterises and tracks.
 */

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

// --- camera -------------------------------------------------------------------------------

export type Mat3 = [number, number, number, number, number, number, number, number, number];
export type Mat34 = [...Mat3, number, number, number];
export type Point = [number, number];

export interface CameraParam {
  width: number;
  height: number;
  /** 3×4 projection matrix, row-major (the file's `mat`). */
  mat: Mat34;
  /** Lens distortion factors (9 for the version-4 model). */
  dist: number[];
}

/** ARParam files are big-endian: int32 xsize, ysize; 12 float64 mat; N float64 dist factors. */
export function parseCameraParam(buf: Buffer): CameraParam {
  const distCount = { 136: 4, 144: 5, 152: 6, 176: 9 }[buf.length];
  if (distCount === undefined)
    throw new Error(`camera parameter file has unexpected size ${buf.length}`);
  const width = buf.readInt32BE(0);
  const height = buf.readInt32BE(4);
  const d = (i: number): number => buf.readDoubleBE(8 + i * 8);
  const mat: Mat34 = [d(0), d(1), d(2), d(3), d(4), d(5), d(6), d(7), d(8), d(9), d(10), d(11)];
  const dist = Array.from({ length: distCount }, (_, i) => d(12 + i));
  if (width <= 0 || height <= 0 || ![...mat, ...dist].every(Number.isFinite)) {
    throw new Error('camera parameter file is corrupt');
  }
  return { width, height, mat, dist };
}

/**
 * The same camera with its lens distortion removed (version-4 model: k1 k2 p1 p2 = 0, scale 1).
 * Our synthetic frames are ideal pinhole projections; keeping the calibrated distortion would
 * make the tracker "undistort" pixels that were never distorted, and the self-test would
 * measure that model mismatch (several px at the corners) instead of the marker.
 */
export function idealCameraParam(buf: Buffer): Buffer {
  const param = parseCameraParam(buf);
  if (param.dist.length !== 9) throw new Error('expected a version-4 camera parameter file');
  const out = Buffer.from(buf);
  for (let i = 0; i < 4; i++) out.writeDoubleBE(0, 104 + i * 8);
  out.writeDoubleBE(1, 104 + 8 * 8);
  return out;
}

const requireFromHere = createRequire(import.meta.url);

/** The calibrated camera shipped with `@webarkit/nft-marker-creator-app` (640×480). */
export async function loadDefaultCameraParam(): Promise<Buffer> {
  const file = requireFromHere.resolve(
    '@webarkit/nft-marker-creator-app/demo/public/resources/camera_para.dat',
  );
  return readFile(file);
}

// --- geometry -----------------------------------------------------------------------------

/** Pose of the marker in the camera: rotation (row-major 3×3) and translation in mm. */
export interface Pose {
  r: Mat3;
  t: [number, number, number];
}

function mul3(a: Mat3, b: Mat3): Mat3 {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = a;
  const [b0, b1, b2, b3, b4, b5, b6, b7, b8] = b;
  // prettier-ignore
  return [
    a0 * b0 + a1 * b3 + a2 * b6, a0 * b1 + a1 * b4 + a2 * b7, a0 * b2 + a1 * b5 + a2 * b8,
    a3 * b0 + a4 * b3 + a5 * b6, a3 * b1 + a4 * b4 + a5 * b7, a3 * b2 + a4 * b5 + a5 * b8,
    a6 * b0 + a7 * b3 + a8 * b6, a6 * b1 + a7 * b4 + a8 * b7, a6 * b2 + a7 * b5 + a8 * b8,
  ];
}

const rad = (deg: number): number => (deg * Math.PI) / 180;
const rotX = (a: number): Mat3 => [
  1,
  0,
  0,
  0,
  Math.cos(a),
  -Math.sin(a),
  0,
  Math.sin(a),
  Math.cos(a),
];
const rotY = (a: number): Mat3 => [
  Math.cos(a),
  0,
  Math.sin(a),
  0,
  1,
  0,
  -Math.sin(a),
  0,
  Math.cos(a),
];
const rotZ = (a: number): Mat3 => [
  Math.cos(a),
  -Math.sin(a),
  0,
  Math.sin(a),
  Math.cos(a),
  0,
  0,
  0,
  1,
];

/** Marker geometry in ARToolKit's convention: mm, origin bottom-left, Y up, Z = 0. */
export interface MarkerGeometry {
  width: number;
  height: number;
  dpi: number;
}

/** Marker pixel (u right, v down, centres at integers) → marker plane mm (X right, Y up). */
export function markerPixelToMm(m: MarkerGeometry, u: number, v: number): Point {
  const s = 25.4 / m.dpi;
  return [u * s, (m.height - v) * s];
}

/** The image's four corners, in marker pixels: top-left, top-right, bottom-right, bottom-left. */
export function markerCorners(m: MarkerGeometry): Point[] {
  return [
    [0, 0],
    [m.width, 0],
    [m.width, m.height],
    [0, m.height],
  ];
}

/** Projects a marker-plane point (mm) through `pose` and the camera's 3×4 matrix. */
export function projectMm(camera: CameraParam, pose: Pose, x: number, y: number): Point {
  const { r, t } = pose;
  const cx = r[0] * x + r[1] * y + t[0];
  const cy = r[3] * x + r[4] * y + t[1];
  const cz = r[6] * x + r[7] * y + t[2];
  const m = camera.mat;
  const w = m[8] * cx + m[9] * cy + m[10] * cz + m[11];
  return [
    (m[0] * cx + m[1] * cy + m[2] * cz + m[3]) / w,
    (m[4] * cx + m[5] * cy + m[6] * cz + m[7]) / w,
  ];
}

/**
 * A pose that shows the marker centred at (offsetX, offsetY) mm from the optical axis, at a
 * distance where its height spans `heightPx`, turned by pitch (about the camera's x axis),
 * yaw (y) and roll (z), in degrees. Marker Y is up, camera y is down: the base rotation
 * flips Y and Z.
 */
export function viewPose(
  camera: CameraParam,
  marker: MarkerGeometry,
  view: Omit<SelfTestView, 'name'>,
): Pose {
  const base: Mat3 = [1, 0, 0, 0, -1, 0, 0, 0, -1];
  const r = mul3(
    mul3(mul3(rotX(rad(view.pitch ?? 0)), rotY(rad(view.yaw ?? 0))), rotZ(rad(view.roll ?? 0))),
    base,
  );
  const s = 25.4 / marker.dpi;
  const heightMm = marker.height * s;
  const fy = camera.mat[5];
  const z = (fy * heightMm) / view.heightPx;
  // Put the marker's centre at (offsetX, offsetY, z) in camera space.
  const c: [number, number] = [(marker.width * s) / 2, heightMm / 2];
  const t: [number, number, number] = [
    (view.offsetX ?? 0) - (r[0] * c[0] + r[1] * c[1]),
    (view.offsetY ?? 0) - (r[3] * c[0] + r[4] * c[1]),
    z - (r[6] * c[0] + r[7] * c[1]),
  ];
  return { r, t };
}

/** Homography taking marker pixels (u, v) to frame pixels under `pose`. */
export function poseHomography(camera: CameraParam, marker: MarkerGeometry, pose: Pose): Mat3 {
  const s = 25.4 / marker.dpi;
  const { r, t } = pose;
  // Camera point = s·u·r1 − s·v·r2 + (s·H·r2 + t), with r1, r2 the rotation's first columns.
  // prettier-ignore
  const cols: Mat3 = [
    s * r[0], -s * r[1], s * marker.height * r[1] + t[0],
    s * r[3], -s * r[4], s * marker.height * r[4] + t[1],
    s * r[6], -s * r[7], s * marker.height * r[7] + t[2],
  ];
  const m = camera.mat;
  const k: Mat3 = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  return mul3(k, cols);
}

export function applyHomography(h: Mat3, u: number, v: number): Point {
  const w = h[6] * u + h[7] * v + h[8];
  return [(h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w];
}

/** The tracker's pose (3×4 row-major, mm) as a Pose. */
export function poseFromTracker(pose: readonly number[]): Pose {
  if (pose.length !== 12 || !pose.every(Number.isFinite)) throw new Error('invalid tracker pose');
  const [r0, r1, r2, t0, r3, r4, r5, t1, r6, r7, r8, t2] = pose as Mat34;
  return { r: [r0, r1, r2, r3, r4, r5, r6, r7, r8], t: [t0, t1, t2] };
}

/** The image's corners projected into the frame with `pose`. */
export function reprojectCorners(camera: CameraParam, marker: MarkerGeometry, pose: Pose): Point[] {
  return markerCorners(marker).map(([u, v]) => {
    const [x, y] = markerPixelToMm(marker, u, v);
    return projectMm(camera, pose, x, y);
  });
}

/** Largest distance (px) between two lists of corresponding points. */
export function maxPointDistance(a: readonly Point[], b: readonly Point[]): number {
  if (a.length !== b.length) throw new Error('point lists differ in length');
  return a.reduce((worst, [ax, ay], i) => {
    const [bx, by] = b[i] as Point;
    return Math.max(worst, Math.hypot(ax - bx, ay - by));
  }, 0);
}

// --- scenarios ----------------------------------------------------------------------------

export interface SelfTestFrame {
  found: boolean;
  cornerErrorPx: number | null;
  /** The image's corners reprojected with the tracker's pose (same order as `corners`). */
  reprojected: Point[] | null;
  ms: number;
}

export interface SelfTestScenario {
  name: string;
  /** positive: the portrait is in the frame and must be found; negative: it must not. */
  expect: 'found' | 'not_found';
  /** Found in the last frame (positive) / in any frame (negative). */
  found: boolean;
  /** Worst corner error over the frames where it was found; null if never found. */
  cornerErrorPx: number | null;
  /** Where the image's corners were drawn (positives). */
  corners: Point[] | null;
  frames: SelfTestFrame[];
  setupMs: number;
  passed: boolean;
}

export interface SelfTestResult {
  /** Every positive scenario found the marker. */
  found: boolean;
  /** Worst corner error over the positive scenarios; null if any was not found. */
  cornerErrorPx: number | null;
  /** Every scenario met its expectation (positives within maxCornerErrorPx). */
  passed: boolean;
  failures: string[];
  scenarios: SelfTestScenario[];
  cpuMs: number;
  wallMs: number;
}

export interface GreyImage {
  grey: Buffer;
  width: number;
  height: number;
}

export interface SelfTestOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The marker's source pixels; default: decoded from the `.iset` JPEG. */
  image?: GreyImage;
  /** Extra negative controls (any image format sharp reads), each drawn to fill the frame. */
  negatives?: Buffer[];
  /** A positive scenario passes only under this corner error; default 5 px. */
  maxCornerErrorPx?: number;
  /** Frames per scenario (detection, then tracking); default 3. */
  framesPerScenario?: number;
  /** Positive scenarios, used as given; default DEFAULT_VIEWS fitted to the marker (fitViews). */
  views?: readonly SelfTestView[];
  /** Camera parameter file; default: the package's camera_para.dat without distortion. */
  cameraParam?: Buffer;
}

export class NftSelfTestError extends Error {
  constructor(
    /** `worker_failed`: the test could not run (crash, bad files), which says nothing of the marker. */
    readonly code: 'timeout' | 'aborted' | 'worker_failed',
    message: string,
    readonly log = '',
  ) {
    super(message);
    this.name = 'NftSelfTestError';
  }
}

interface ScenarioSpec {
  name: string;
  expect: 'found' | 'not_found';
  source: number | null;
  homography: Mat3;
  corners: Point[] | null;
}

export interface SelfTestView {
  name: string;
  /** Height the print spans in the frame (px), and its rotation in degrees. */
  heightPx: number;
  pitch?: number;
  yaw?: number;
  roll?: number;
  /** Offset of the print's centre from the optical axis, mm. */
  offsetX?: number;
  offsetY?: number;
}

/**
 * Default views of the portrait: straight-on, filling most of the frame, and a strong
 * perspective (tilted 35°, turned 25°, rolled 8°), as a phone held at an angle sees it.
 */
export const DEFAULT_VIEWS: readonly SelfTestView[] = [
  { name: 'straight', heightPx: 380, offsetX: 6, offsetY: -4 },
  { name: 'perspective', heightPx: 330, pitch: 35, yaw: 25, roll: 8 },
];

/**
 * Shrinks views for a small or very wide marker: a marker is only found while the print
 * covers fewer pixels than the marker has (measured here: up to ~80 % of its
 * height for 320–640 px markers), and the print must stay inside the frame. The 640 px
 * markers we make keep the views unchanged.
 */
export function fitViews(views: readonly SelfTestView[], marker: MarkerGeometry): SelfTestView[] {
  const tallest = Math.max(...views.map((v) => v.heightPx));
  const aspect = marker.width / marker.height;
  const scale = Math.min(
    1,
    (0.75 * marker.height) / tallest,
    (0.9 * FRAME_WIDTH) / (tallest * aspect),
  );
  return views.map((view) => ({ ...view, heightPx: view.heightPx * scale }));
}

/** A picture that has nothing to do with any portrait: seeded random hard-edged shapes. */
async function distractorImage(seed: number): Promise<GreyImage> {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const w = 600;
  const h = 450;
  let body = `<rect width="${w}" height="${h}" fill="rgb(150,150,150)"/>`;
  for (let i = 0; i < 260; i++) {
    const g = Math.floor(rand() * 256);
    const x = rand() * w;
    const y = rand() * h;
    const s = 4 + rand() * 60;
    body +=
      rand() < 0.5
        ? `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${(s / 2).toFixed(1)}" fill="rgb(${g},${g},${g})"/>`
        : `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${s.toFixed(1)}" height="${(s * (0.3 + rand())).toFixed(1)}" fill="rgb(${g},${g},${g})" transform="rotate(${(rand() * 90).toFixed(0)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`;
  return toGrey(Buffer.from(svg), w, h);
}

async function toGrey(image: Buffer, maxWidth: number, maxHeight: number): Promise<GreyImage> {
  const { data, info } = await sharp(image)
    .rotate()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize({ width: maxWidth, height: maxHeight, fit: 'inside' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { grey: data, width: info.width, height: info.height };
}

async function markerImage(files: NftMarkerFileSet): Promise<GreyImage> {
  const iset = parseIset(files.iset);
  const jpeg = files.iset.subarray(4, 4 + iset.jpegBytes);
  const { data, info } = await sharp(jpeg)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { grey: data, width: info.width, height: info.height };
}

/** Centres an image of `w × h` in the frame, scaled to `fill` of it (a flat, upright print). */
function fitHomography(w: number, h: number, fill: number): Mat3 {
  const scale = Math.min(FRAME_WIDTH / w, FRAME_HEIGHT / h) * fill;
  const ox = (FRAME_WIDTH - w * scale) / 2;
  const oy = (FRAME_HEIGHT - h * scale) / 2;
  return [scale, 0, ox, 0, scale, oy, 0, 0, 1];
}

/** Runs the self-test. Rejects with NftSelfTestError only when it could not run at all. */
export async function selfTestNftMarker(
  files: NftMarkerFileSet,
  options: SelfTestOptions,
): Promise<SelfTestResult> {
  const started = performance.now();
  const iset = parseIset(files.iset);
  const image = options.image ?? (await markerImage(files));
  const marker: MarkerGeometry = { width: image.width, height: image.height, dpi: iset.dpi };
  if (image.width !== iset.imageWidth || image.height !== iset.imageHeight) {
    throw new Error(
      `self-test image is ${image.width}×${image.height}, the marker is ${iset.imageWidth}×${iset.imageHeight}`,
    );
  }
  const cameraFile = options.cameraParam ?? idealCameraParam(await loadDefaultCameraParam());
  const camera = parseCameraParam(cameraFile);
  if (camera.width !== FRAME_WIDTH || camera.height !== FRAME_HEIGHT) {
    throw new Error(
      `camera parameters are for ${camera.width}×${camera.height}, frames are ${FRAME_WIDTH}×${FRAME_HEIGHT}`,
    );
  }

  const sources: GreyImage[] = [image];
  const views = options.views ?? fitViews(DEFAULT_VIEWS, marker);
  const specs: ScenarioSpec[] = views.map(({ name, ...view }) => {
    const homography = poseHomography(camera, marker, viewPose(camera, marker, view));
    return {
      name,
      expect: 'found' as const,
      source: 0,
      homography,
      corners: markerCorners(marker).map(([u, v]) => applyHomography(homography, u, v)),
    };
  });
  const negatives: GreyImage[] = [await distractorImage(0x51f7e5)];
  for (const extra of options.negatives ?? [])
    negatives.push(await toGrey(extra, FRAME_WIDTH, FRAME_HEIGHT));
  specs.push({
    name: 'blank',
    expect: 'not_found',
    source: null,
    homography: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    corners: null,
  });
  negatives.forEach((negative, i) => {
    sources.push(negative);
    specs.push({
      name: i === 0 ? 'distractor' : `negative-${i}`,
      expect: 'not_found',
      source: sources.length - 1,
      homography: fitHomography(negative.width, negative.height, 0.95),
      corners: null,
    });
  });

  const request: SelfTestJob = {
    camera: new Uint8Array(cameraFile),
    frameWidth: FRAME_WIDTH,
    frameHeight: FRAME_HEIGHT,
    marker: {
      iset: new Uint8Array(files.iset),
      fset: new Uint8Array(files.fset),
      fset3: new Uint8Array(files.fset3),
    },
    sources: sources.map((s) => ({
      grey: new Uint8Array(s.grey),
      width: s.width,
      height: s.height,
    })),
    scenarios: specs.map((spec, i) => ({
      name: spec.name,
      source: spec.source,
      homography: spec.homography,
      background: 118,
      noise: 3,
      frames: options.framesPerScenario ?? 3,
      seed: 1000 + i,
    })),
  };

  let result: SelfTestSuccess;
  try {
    result = await runChildJob<SelfTestSuccess>(
      workerPath('workers/nft-selftest.worker.mjs'),
      request,
      {
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      },
    );
  } catch (error) {
    if (error instanceof ChildJobError) {
      const code =
        error.code === 'timeout' || error.code === 'aborted' ? error.code : 'worker_failed';
      throw new NftSelfTestError(code, `NFT self-test could not run: ${error.message}`, error.log);
    }
    throw error;
  }

  const maxError = options.maxCornerErrorPx ?? 5;
  const failures: string[] = [];
  const scenarios = specs.map((spec, i): SelfTestScenario => {
    const raw = result.scenarios[i];
    if (!raw || raw.name !== spec.name)
      throw new Error('self-test worker returned mismatched scenarios');
    const frames = raw.frames.map((frame): SelfTestFrame => {
      const reprojected =
        frame.found && frame.pose
          ? reprojectCorners(camera, marker, poseFromTracker(frame.pose))
          : null;
      const cornerErrorPx =
        reprojected && spec.corners ? maxPointDistance(reprojected, spec.corners) : null;
      return { found: frame.found, cornerErrorPx, reprojected, ms: frame.ms };
    });
    const errors = frames.flatMap((f) => (f.cornerErrorPx === null ? [] : [f.cornerErrorPx]));
    const found =
      spec.expect === 'found' ? frames.at(-1)?.found === true : frames.some((f) => f.found);
    const cornerErrorPx = errors.length > 0 ? Math.max(...errors) : null;
    let passed: boolean;
    if (spec.expect === 'found') {
      passed = found && cornerErrorPx !== null && cornerErrorPx <= maxError;
      if (!found) failures.push(`${spec.name}: the portrait was not found`);
      else if (!passed)
        failures.push(
          `${spec.name}: pose is off by ${cornerErrorPx?.toFixed(1)} px (limit ${maxError})`,
        );
    } else {
      passed = !found;
      if (!passed)
        failures.push(`${spec.name}: the marker was "found" in a frame without the portrait`);
    }
    return {
      name: spec.name,
      expect: spec.expect,
      found,
      cornerErrorPx,
      corners: spec.corners,
      frames,
      setupMs: raw.setupMs,
      passed,
    };
  });

  const positives = scenarios.filter((s) => s.expect === 'found');
  const allFound = positives.every((s) => s.found);
  return {
    found: allFound,
    cornerErrorPx: allFound ? Math.max(...positives.map((s) => s.cornerErrorPx ?? Infinity)) : null,
    passed: failures.length === 0,
    failures,
    scenarios,
    cpuMs: result.cpuMs,
    wallMs: Math.round(performance.now() - started),
  };
}
