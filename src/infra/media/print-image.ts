import sharp, { type SharpOptions } from 'sharp';

/**
 * The portrait for print: the original at full resolution, upright (EXIF orientation applied),
 * alpha flattened on white (paper), converted to sRGB, encoded as a high-quality JPEG (4:4:4,
 * so fine colour edges survive) and extended on every side by mirrored pixels for the bleed.
 * Mirroring keeps the picture continuous across the trim line: a cut a little outside it shows
 * the photo's own edge, not a stretched or white strip. No pixel of the photo is dropped or
 * resampled: the trim area of the output is the original's pixels.
 */

export interface PrintImageResult {
  jpeg: Buffer;
  /** The upright photo's size, before the bleed extension. */
  photoWidthPx: number;
  photoHeightPx: number;
  bleedPx: number;
}

export interface PrintImageOptions {
  maxPixels: number;
  jpegQuality?: number;
}

/** Reads the upright size of an image without decoding its pixels. */
export async function uprightSize(
  image: Buffer,
  maxPixels: number,
): Promise<{ width: number; height: number }> {
  const { width, height } = (await load(image, maxPixels).metadata()).autoOrient;
  return { width, height };
}

/** `bleed` is in the photo's pixels (the caller knows the print's scale). */
export async function printImage(
  image: Buffer,
  bleed: number,
  options: PrintImageOptions,
): Promise<PrintImageResult> {
  const size = await uprightSize(image, options.maxPixels);
  const jpeg = await load(image, options.maxPixels)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .extend({ top: bleed, bottom: bleed, left: bleed, right: bleed, extendWith: 'mirror' })
    .jpeg({ quality: options.jpegQuality ?? 92, chromaSubsampling: '4:4:4' })
    .toBuffer();
  return { jpeg, photoWidthPx: size.width, photoHeightPx: size.height, bleedPx: bleed };
}

function load(image: Buffer, maxPixels: number) {
  const options: SharpOptions = { limitInputPixels: maxPixels, failOn: 'error', autoOrient: true };
  return sharp(image, options);
}
