import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';

/**
 * Normalising an uploaded portrait into the generator's input: 8-bit single-channel raw pixels.
 *
 * Why these numbers (docs/markers.md):
 * - Long side 640 px. Generation cost is proportional to pixel count (~20 CPU s at 640, 64 at
 *   1000, 400+ at 2000) and a marker is found when it has at least as many pixels as the print
 *   covers in the tracker's processed frame: phones' trackers process 320×240 (AR.js) up to
 *   640×480, where a print can cover at most 480–640 px. 640 covers the largest case; 500
 *   would save ~40 % CPU but falls short when the print fills a 640×480 frame.
 * - dpi = the print's physical size. The marker's units are millimetres (width / dpi × 25.4)
 *   and the AR page sizes the video plane from them. Only the ratio matters to the tracker,
 *   but a physically plausible size keeps poses (mm) inside the renderer's near/far planes, so
 *   we declare a nominal print of 150 mm on the long side (a 10×15 cm photo print). dpi is an
 *   integer because `.iset` stores it as the JPEG's JFIF density (an integer): a fractional dpi
 *   would put `.iset` and `.fset` on slightly different scales.
 * - The generator mis-reads RGBA and ignores EXIF orientation: rotate from EXIF,
 *   flatten alpha on white (paper), greyscale, then resize.
 */

export const MARKER_LONG_SIDE_PX = 640;
export const NOMINAL_PRINT_LONG_SIDE_MM = 150;
/** Below this short side there is not enough detail to track at all. */
export const MIN_SOURCE_SHORT_SIDE_PX = 200;

export interface MarkerInput {
  /** Raw 8-bit greyscale pixels, row-major, `width × height` bytes. */
  grey: Buffer;
  width: number;
  height: number;
  dpi: number;
  /** Size of the upload after EXIF rotation, before resizing. */
  sourceWidth: number;
  sourceHeight: number;
}

export interface PrepareMarkerInputOptions {
  longSidePx?: number;
  printLongSideMm?: number;
}

export class MarkerInputError extends Error {
  constructor(
    readonly code: 'unreadable_image' | 'image_too_small',
    message: string,
  ) {
    super(message);
    this.name = 'MarkerInputError';
  }
}

/** Integer dpi that makes `longSidePx` pixels measure about `printLongSideMm` millimetres. */
export function markerDpi(
  longSidePx: number,
  printLongSideMm = NOMINAL_PRINT_LONG_SIDE_MM,
): number {
  return Math.max(1, Math.round(longSidePx / (printLongSideMm / 25.4)));
}

export async function prepareMarkerInput(
  image: Buffer,
  options: PrepareMarkerInputOptions = {},
): Promise<MarkerInput> {
  const longSide = options.longSidePx ?? MARKER_LONG_SIDE_PX;
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch (error) {
    throw new MarkerInputError('unreadable_image', `image cannot be decoded: ${String(error)}`);
  }
  // EXIF orientations 5–8 swap width and height.
  const swap = (meta.orientation ?? 1) >= 5;
  const sourceWidth = swap ? meta.height : meta.width;
  const sourceHeight = swap ? meta.width : meta.height;
  if (Math.min(sourceWidth, sourceHeight) < MIN_SOURCE_SHORT_SIDE_PX) {
    throw new MarkerInputError(
      'image_too_small',
      `image is ${sourceWidth}×${sourceHeight} px; at least ${MIN_SOURCE_SHORT_SIDE_PX} px on the short side is needed`,
    );
  }

  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(image)
      .rotate()
      .flatten({ background: '#ffffff' })
      .greyscale()
      // Never enlarge: up-scaling adds no detail, only CPU time.
      .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new MarkerInputError('unreadable_image', `image cannot be decoded: ${String(error)}`);
  }
  const { data, info } = out;
  if (info.channels !== 1 || data.length !== info.width * info.height) {
    throw new Error(`unexpected greyscale output: ${info.width}×${info.height}×${info.channels}`);
  }
  return {
    grey: data,
    width: info.width,
    height: info.height,
    dpi: markerDpi(Math.max(info.width, info.height), options.printLongSideMm),
    sourceWidth,
    sourceHeight,
  };
}
