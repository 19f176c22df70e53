import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { intrinsicsFor } from '../../src/modules/viewer/camera-model.js';

/**
 * Fake cameras for Chromium (`--use-file-for-fake-video-capture`): Y4M files (yuv420p, looped
 * by Chromium at their own frame rate) showing a print on a neutral background, straight on
 * or in perspective, with temporal noise like a real sensor — or showing no print at all.
 * The print's corners in the frame are known exactly, so a test can check where the page
 * draws the video.
 */

export interface Point {
  x: number;
  y: number;
}

/** Top-left, top-right, bottom-right, bottom-left, in frame pixels. */
export type Quad = [Point, Point, Point, Point];

export interface CameraFile {
  path: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  /** Where the print is whenever it is in the frame (absent: never). */
  printCorners?: Quad;
}

export interface CameraFileOptions {
  /** Output folder and base name (`<dir>/<name>.y4m`). */
  dir: string;
  name: string;
  /** The printed image (any format sharp reads); omitted: an empty scene. */
  print?: Buffer;
  /** Where the print goes; default: centred, straight, `printHeight` of the frame tall. */
  corners?: Quad;
  printHeight?: number;
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  /** ffmpeg `noise` strength (0 = clean). */
  noise?: number;
  /** Background grey level, 0–255. */
  background?: number;
}

/** A print centred and straight, `fraction` of the frame's height tall. */
export function straightQuad(
  frame: { width: number; height: number },
  printAspect: number,
  fraction = 0.8,
): Quad {
  const h = frame.height * fraction;
  const w = h * printAspect;
  const left = (frame.width - w) / 2;
  const top = (frame.height - h) / 2;
  return [
    { x: left, y: top },
    { x: left + w, y: top },
    { x: left + w, y: top + h },
    { x: left, y: top + h },
  ];
}

/**
 * The print as a pinhole camera sees it when the card is turned away (`tiltXDeg` about its
 * horizontal axis, `tiltYDeg` about its vertical one, `rollDeg` in the image plane): a real
 * perspective for the tracker's camera model, unlike an arbitrary quad. Centred, about
 * `fraction` of the frame tall.
 */
export function tiltedQuad(
  frame: { width: number; height: number },
  printAspect: number,
  fraction = 0.8,
  angles: { tiltXDeg: number; tiltYDeg: number; rollDeg: number } = {
    tiltXDeg: 25,
    tiltYDeg: -18,
    rollDeg: 6,
  },
): Quad {
  // The page's camera model (src/modules/viewer/camera-model.ts), so the tracker's pose is true.
  const { f, cx, cy } = intrinsicsFor(frame);
  const rad = Math.PI / 180;
  const [ax, ay, az] = [angles.tiltXDeg * rad, angles.tiltYDeg * rad, angles.rollDeg * rad];
  const rotate = ([x, y, z]: [number, number, number]): [number, number, number] => {
    // Rx, then Ry, then Rz.
    const y1 = y * Math.cos(ax) - z * Math.sin(ax);
    const z1 = y * Math.sin(ax) + z * Math.cos(ax);
    const x2 = x * Math.cos(ay) + z1 * Math.sin(ay);
    const z2 = -x * Math.sin(ay) + z1 * Math.cos(ay);
    return [x2 * Math.cos(az) - y1 * Math.sin(az), x2 * Math.sin(az) + y1 * Math.cos(az), z2];
  };
  const distance = f / (fraction * frame.height); // the print is 1 unit tall
  const corners: [number, number][] = [
    [-printAspect / 2, -0.5],
    [printAspect / 2, -0.5],
    [printAspect / 2, 0.5],
    [-printAspect / 2, 0.5],
  ];
  return corners.map(([x, y]) => {
    const [X, Y, Z] = rotate([x, y, 0]);
    return { x: cx + (f * X) / (Z + distance), y: cy + (f * Y) / (Z + distance) };
  }) as Quad;
}

/** Solves the 3×3 homography mapping `from[i]` to `to[i]` (h33 = 1). */
export function homography(from: Quad, to: Quad): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let row = col + 1; row < 8; row++) {
      if (Math.abs(a[row]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = row;
    }
    const swap = a[col] as number[];
    a[col] = a[pivot] as number[];
    a[pivot] = swap;
    const p = a[col] as number[];
    const div = p[col] as number;
    if (Math.abs(div) < 1e-12) throw new Error('degenerate quad');
    for (let k = col; k < 9; k++) p[k] = (p[k] as number) / div;
    for (let row = 0; row < 8; row++) {
      if (row === col) continue;
      const r = a[row] as number[];
      const factor = r[col] as number;
      for (let k = col; k < 9; k++) r[k] = (r[k] as number) - factor * (p[k] as number);
    }
  }
  return [...a.map((row) => row[8] as number), 1];
}

export function applyHomography(h: number[], p: Point): Point {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, i = 0, j = 1] = h;
  const w = g * p.x + i * p.y + j;
  return { x: (a * p.x + b * p.y + c) / w, y: (d * p.x + e * p.y + f) / w };
}

/** One RGB frame: the print warped onto `corners` over a flat grey background. */
export async function composeFrame(options: {
  print?: Buffer;
  corners?: Quad;
  width: number;
  height: number;
  background: number;
}): Promise<Buffer> {
  const { width, height, background } = options;
  const out = Buffer.alloc(width * height * 3, background);
  if (options.print === undefined || options.corners === undefined) return out;
  const corners = options.corners;
  // Resample the print close to its on-screen size first, so the warp does not alias.
  const edge = Math.max(
    ...corners.map((p, k) => {
      const q = corners[(k + 1) % 4] as Point;
      return Math.hypot(q.x - p.x, q.y - p.y);
    }),
  );
  const meta = await sharp(options.print).metadata();
  const scale = Math.min(1, (edge * 1.5) / Math.max(meta.width, meta.height));
  const { data, info } = await sharp(options.print)
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize({
      width: Math.max(1, Math.round(meta.width * scale)),
      height: Math.max(1, Math.round(meta.height * scale)),
      fit: 'fill',
    })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pw = info.width;
  const ph = info.height;
  const channels = info.channels;
  const source: Quad = [
    { x: 0, y: 0 },
    { x: pw, y: 0 },
    { x: pw, y: ph },
    { x: 0, y: ph },
  ];
  const inverse = homography(corners, source);
  const sample = (x: number, y: number, c: number): number =>
    data[(y * pw + x) * channels + Math.min(c, channels - 1)] ?? background;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const { x: u, y: v } = applyHomography(inverse, { x: x + 0.5, y: y + 0.5 });
      const su = u - 0.5;
      const sv = v - 0.5;
      if (su < 0 || sv < 0 || su > pw - 1 || sv > ph - 1) continue;
      const x0 = Math.floor(su);
      const y0 = Math.floor(sv);
      const x1 = Math.min(x0 + 1, pw - 1);
      const y1 = Math.min(y0 + 1, ph - 1);
      const fx = su - x0;
      const fy = sv - y0;
      for (let c = 0; c < 3; c++) {
        const top = sample(x0, y0, c) * (1 - fx) + sample(x1, y0, c) * fx;
        const bottom = sample(x0, y1, c) * (1 - fx) + sample(x1, y1, c) * fx;
        out[(y * width + x) * 3 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

export function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}: ${stderr}`));
    });
  });
}

/** One stretch of a camera file: a print at some place, or an empty scene. */
export interface CameraScene {
  print?: Buffer;
  corners?: Quad;
  seconds: number;
}

async function sceneFrame(
  scene: CameraScene,
  frame: { width: number; height: number; background: number; printHeight: number },
): Promise<{ rgb: Buffer; corners?: Quad }> {
  let corners = scene.corners;
  if (scene.print !== undefined && corners === undefined) {
    const meta = await sharp(scene.print).metadata();
    corners = straightQuad(frame, meta.width / meta.height, frame.printHeight);
  }
  const rgb = await composeFrame({ ...frame, print: scene.print, corners });
  return scene.print === undefined ? { rgb } : { rgb, corners };
}

/**
 * Writes `<dir>/<name>.y4m` (and each scene's clean frame as `<name>-<i>.png`). With several
 * `scenes` they play one after the other (Chromium loops the whole file): e.g. the print for
 * 6 s, then nothing for 2 s, to see the marker lost and found again.
 */
export async function buildCameraFile(
  options: CameraFileOptions & { scenes?: CameraScene[] },
): Promise<CameraFile> {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const fps = options.fps ?? 10;
  const frame = {
    width,
    height,
    background: options.background ?? 128,
    printHeight: options.printHeight ?? 0.8,
  };
  const scenes = options.scenes ?? [
    { print: options.print, corners: options.corners, seconds: options.seconds ?? 2 },
  ];
  const inputs: string[] = [];
  let printCorners: Quad | undefined;
  for (const [i, scene] of scenes.entries()) {
    const { rgb, corners } = await sceneFrame(scene, frame);
    printCorners ??= corners;
    const png = path.join(options.dir, `${options.name}-${i}.png`);
    await writeFile(
      png,
      await sharp(rgb, { raw: { width, height, channels: 3 } })
        .png()
        .toBuffer(),
    );
    inputs.push('-loop', '1', '-framerate', String(fps), '-t', String(scene.seconds), '-i', png);
  }
  const noise =
    options.noise !== undefined && options.noise > 0 ? `,noise=alls=${options.noise}:allf=t+u` : '';
  const chain = `${scenes.map((_, i) => `[${i}:v]`).join('')}concat=n=${scenes.length}:v=1:a=0${noise},format=yuv420p[v]`;
  const out = path.join(options.dir, `${options.name}.y4m`);
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    chain,
    '-map',
    '[v]',
    '-r',
    String(fps),
    '-pix_fmt',
    'yuv420p',
    '-f',
    'yuv4mpegpipe',
    out,
  ]);
  const seconds = scenes.reduce((sum, scene) => sum + scene.seconds, 0);
  return {
    path: out,
    width,
    height,
    fps,
    seconds,
    ...(printCorners === undefined ? {} : { printCorners }),
  };
}

/** A deterministic "other photo": random shapes and text, rich in features, not the marker. */
export async function differentImage(width = 800, height = 1000, seed = 7): Promise<Buffer> {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const shapes: string[] = [];
  for (let i = 0; i < 140; i++) {
    const grey = Math.floor(random() * 256);
    const fill = `rgb(${grey},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
    const x = Math.floor(random() * width);
    const y = Math.floor(random() * height);
    const s = 10 + Math.floor(random() * 120);
    if (i % 3 === 0) shapes.push(`<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${fill}"/>`);
    else if (i % 3 === 1) {
      shapes.push(
        `<rect x="${x}" y="${y}" width="${s}" height="${s * 0.6}" fill="${fill}" transform="rotate(${Math.floor(random() * 90)} ${x} ${y})"/>`,
      );
    } else {
      shapes.push(
        `<polygon points="${x},${y} ${x + s},${y + s / 3} ${x + s / 4},${y + s}" fill="${fill}"/>`,
      );
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#d8d2c4"/>${shapes.join('')}
<text x="40" y="${height - 60}" font-size="64" font-family="sans-serif" fill="#222">NOT THE PRINT</text>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** A short H.264/AAC MP4 (faststart): a saturated magenta field with a moving test pattern. */
export async function buildTestVideo(
  file: string,
  options: { width?: number; height?: number; seconds?: number } = {},
): Promise<void> {
  const width = options.width ?? 480;
  const height = options.height ?? 600;
  const seconds = options.seconds ?? 4;
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=0xff00ff:s=${width}x${height}:r=25:d=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=${Math.round(width / 3)}x${Math.round(height / 4)}:r=25:d=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
    '-filter_complex',
    '[0:v][1:v]overlay=x=(W-w)/2:y=(H-h)/2[v]',
    '-map',
    '[v]',
    '-map',
    '2:a',
    '-c:v',
    'libx264',
    '-profile:v',
    'baseline',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-movflags',
    '+faststart',
    '-t',
    String(seconds),
    file,
  ]);
}

/** The poster: first frame of a video as JPEG. */
export async function buildPoster(video: string, file: string): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    video,
    '-frames:v',
    '1',
    file,
  ]);
}
