/**
 * The camera model the public page's tracker uses, as ARToolKit camera parameter files
 * (`ARParam`, 176 bytes, big-endian): one per tracker frame size, so that any stream aspect —
 * 4:3, 16:9, portrait or landscape — is processed in its own shape with square pixels.
 *
 * A phone's camera is not calibrated here, so the model is ARToolKit's generic `camera_para.dat`
 * (640×480, fx ≈ 609) generalised: the same field of view across the frame's long side (phones
 * crop 16:9 out of a 4:3 sensor at the same long-side angle, and a phone held upright turns the
 * frame, not the lens), the principal point in the centre, no lens distortion. The pose and the
 * rendering use the same model, so a focal length that is somewhat off moves the estimated
 * distance, not where the video lands on the print.
 */

/** Focal length in pixels per pixel of the frame's long side (camera_para.dat: 609.365 / 640). */
export const FOCAL_PER_LONG_SIDE = 609.365 / 640;

/** Part of the files' URL: bump it when the model changes (they are cached as immutable). */
export const CAMERA_MODEL_VERSION = 'v1';

export const MIN_FRAME_SIDE = 16;
export const MAX_FRAME_SIDE = 4096;

export interface FrameSize {
  width: number;
  height: number;
}

/** `"368x207.dat"` → the size, or `null` for anything else (including out-of-range sizes). */
export function parseFrameSize(file: string): FrameSize | null {
  const match = /^([1-9]\d{1,3})x([1-9]\d{1,3})\.dat$/.exec(file);
  if (match === null) return null;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const ok = (side: number) => side >= MIN_FRAME_SIDE && side <= MAX_FRAME_SIDE;
  return ok(width) && ok(height) ? { width, height } : null;
}

/** Pinhole intrinsics of the model for a frame. */
export function intrinsicsFor(frame: FrameSize): { f: number; cx: number; cy: number } {
  return {
    f: FOCAL_PER_LONG_SIDE * Math.max(frame.width, frame.height),
    cx: frame.width / 2,
    cy: frame.height / 2,
  };
}

/**
 * The `ARParam` file: xsize, ysize (int32), the 3×4 projection matrix, then the 9 factors of
 * distortion function version 4 (k1, k2, p1, p2, fx, fy, x0, y0, s) — all zero distortion.
 */
export function cameraParamsFor(frame: FrameSize): Buffer {
  const { f, cx, cy } = intrinsicsFor(frame);
  const out = Buffer.alloc(176);
  out.writeInt32BE(frame.width, 0);
  out.writeInt32BE(frame.height, 4);
  const values = [f, 0, cx, 0, 0, f, cy, 0, 0, 0, 1, 0, 0, 0, 0, 0, f, f, cx, cy, 1];
  values.forEach((value, i) => out.writeDoubleBE(value, 8 + i * 8));
  return out;
}
