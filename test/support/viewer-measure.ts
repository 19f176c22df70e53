import sharp from 'sharp';
import type { ViewerGeometry, ViewerSession } from './browser.js';
import type { CameraFile, Point, Quad } from './camera.js';

/**
 * What a person would check on the phone's screen while the print is tracked, measured (no test
 * framework here: benchmarks use it too): where the video's solid magenta lands in a screenshot
 * compared with where the print is.
 */

/** Maps a camera-frame pixel to viewport pixels, through the camera image as drawn. */
export function cameraToViewport(geometry: ViewerGeometry, p: Point): Point {
  const image = geometry.cameraImage;
  if (image === null) throw new Error('no camera image on the page');
  return {
    x: image.left + (p.x * image.width) / image.videoWidth,
    y: image.top + (p.y * image.height) / image.videoHeight,
  };
}

const isMagenta = (data: Buffer, i: number): boolean =>
  (data[i] ?? 0) > 150 && (data[i + 2] ?? 0) > 150 && (data[i + 1] ?? 255) < 110;

/** Inside a convex quad (either winding). */
function insideQuad(q: Quad, p: Point): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const a = q[k] as Point;
    const b = q[(k + 1) % 4] as Point;
    const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    if (cross !== 0) {
      if (sign !== 0 && Math.sign(cross) !== sign) return false;
      sign = Math.sign(cross);
    }
  }
  return true;
}

function scaleQuad(q: Quad, factor: number): Quad {
  const cx = q.reduce((sum, p) => sum + p.x, 0) / 4;
  const cy = q.reduce((sum, p) => sum + p.y, 0) / 4;
  return q.map((p) => ({ x: cx + (p.x - cx) * factor, y: cy + (p.y - cy) * factor })) as Quad;
}

export interface Coverage {
  maxCornerErrorPx: number;
  printDiagonalPx: number;
  /** Share of the print's on-screen pixels showing the video's magenta. */
  printCovered: number;
  /** Share of the screen showing magenta. */
  screenCovered: number;
  /** Share of the screen showing magenta clearly outside the print (6 % margin). */
  spill: number;
}

/** Counts magenta pixels of a CSS-pixel screenshot inside and outside the print's quad. */
export async function measureCoverage(
  shot: Buffer,
  print: Quad,
): Promise<Omit<Coverage, 'maxCornerErrorPx' | 'printDiagonalPx'>> {
  const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
  const margin = scaleQuad(print, 1.06);
  let inPrint = 0;
  let inPrintMagenta = 0;
  let magenta = 0;
  let spill = 0;
  let total = 0;
  const step = 2;
  for (let y = 0; y < info.height; y += step) {
    for (let x = 0; x < info.width; x += step) {
      const p = { x: x + 0.5, y: y + 0.5 };
      const hit = isMagenta(data, (y * info.width + x) * info.channels);
      total += 1;
      if (hit) magenta += 1;
      if (insideQuad(print, p)) {
        inPrint += 1;
        if (hit) inPrintMagenta += 1;
      } else if (hit && !insideQuad(margin, p)) spill += 1;
    }
  }
  return {
    printCovered: inPrint === 0 ? 0 : inPrintMagenta / inPrint,
    screenCovered: magenta / total,
    spill: spill / total,
  };
}

/** Where the video lands while the print is tracked, from the page's geometry and a screenshot. */
export async function measureVideoOnPrint(
  session: ViewerSession,
  camera: CameraFile,
  shotFile: string,
): Promise<{ coverage: Coverage; geometry: ViewerGeometry }> {
  const geometry = await session.geometry();
  const shot = await session.screenshot(shotFile);
  if (geometry === null || camera.printCorners === undefined) throw new Error('no geometry');
  const expected = camera.printCorners.map((p) => cameraToViewport(geometry, p)) as Quad;
  const errors = geometry.planeCorners.map((p, i) => {
    const e = expected[i] as Point;
    return Math.hypot(p.x - e.x, p.y - e.y);
  });
  const [tl, , br] = expected;
  const coverage = {
    maxCornerErrorPx: Math.max(...errors),
    printDiagonalPx: Math.hypot(br.x - tl.x, br.y - tl.y),
    ...(await measureCoverage(shot, expected)),
  };
  return { coverage, geometry };
}
