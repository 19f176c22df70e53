import sharp from 'sharp';
import type { Raw, Sharp, SharpOptions } from 'sharp';
import { AppError } from '../../shared/errors.js';
import { assertKind, sniffFile } from './sniff.js';
import type { ImageType } from './sniff.js';
import { rejectedMedia } from './rejected-media.js';

export interface ImageLimits {
  /** Width × height as declared by the file; above it nothing is decoded (decompression bombs). */
  maxPixels: number;
  /** The shorter side after EXIF rotation; smaller photos print and track badly. */
  minSide: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxPixels: 50_000_000, minSide: 480 };

export interface ImageProbe {
  format: ImageType;
  /** As displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** EXIF orientation 1–8; 1 when absent. */
  orientation: number;
}

export interface PortraitOptions {
  maxPixels?: number;
  /** Long side of the display copy. */
  displayMaxSide?: number;
  /** Long sides of the thumbnails. */
  thumbnailSizes?: readonly number[];
  jpegQuality?: number;
  webpQuality?: number;
}

export interface RenderedImage {
  width: number;
  height: number;
  jpeg: Buffer;
  webp: Buffer;
}

export interface ProcessedPortrait {
  /** The upright source size (before any resizing). */
  source: { width: number; height: number };
  display: RenderedImage;
  thumbnails: (RenderedImage & { size: number })[];
}

/** sharp's name for each type we accept; HEIC and AVIF are both read by libheif. */
const SHARP_FORMAT: Record<ImageType, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  heic: 'heif',
  avif: 'heif',
};

/**
 * Checks an uploaded photo: real type by magic bytes, declared pixel count under the limit
 * before anything is decoded, minimum size, then one full decode so a truncated or corrupt file
 * is refused now rather than breaking the marker job later.
 */
export async function probeImage(
  path: string,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<ImageProbe> {
  const format = assertKind(await sniffFile(path), 'image');
  const metadata = await load(path, limits.maxPixels)
    .metadata()
    .catch((error: unknown) => {
      throw decodeError(error, format, limits.maxPixels);
    });
  if (metadata.format !== SHARP_FORMAT[format]) {
    throw rejectedMedia('unsupported_media', 415, 'The file content does not match its type', {
      detected: format,
      decoded: metadata.format,
    });
  }
  const { width, height } = metadata.autoOrient;
  if (Math.min(width, height) < limits.minSide) {
    throw rejectedMedia(
      'image_too_small',
      422,
      `The photo is ${width}×${height} px; the shorter side must be at least ${limits.minSide} px`,
      { width, height, minSide: limits.minSide },
    );
  }
  // `stats()` reads every pixel: the cheapest way to force a full decode.
  await load(path, limits.maxPixels)
    .stats()
    .catch((error: unknown) => {
      throw decodeError(error, format, limits.maxPixels);
    });
  return {
    format,
    width,
    height,
    hasAlpha: metadata.hasAlpha,
    orientation: metadata.orientation ?? 1,
  };
}

/**
 * Makes the public copies of a portrait: upright (EXIF orientation applied), alpha flattened on
 * white, sRGB, no metadata at all (EXIF, GPS, ICC, XMP are dropped: sharp writes none unless
 * asked). Decodes once into a bounded raw image and encodes every output from it.
 */
export async function processPortrait(
  path: string,
  options: PortraitOptions = {},
): Promise<ProcessedPortrait> {
  const maxPixels = options.maxPixels ?? DEFAULT_IMAGE_LIMITS.maxPixels;
  const displayMaxSide = options.displayMaxSide ?? 1600;
  const quality = { jpeg: options.jpegQuality ?? 85, webp: options.webpQuality ?? 80 };
  const format = assertKind(await sniffFile(path), 'image');
  try {
    const metadata = await load(path, maxPixels).metadata();
    const base = await load(path, maxPixels)
      .flatten({ background: '#ffffff' })
      .resize(fitInside(displayMaxSide))
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = rawOf(base.info);
    const thumbnail = async (size: number): Promise<RenderedImage & { size: number }> => {
      const small = await sharp(base.data, { raw })
        .resize(fitInside(size))
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { size, ...(await encode(small.data, rawOf(small.info), quality)) };
    };
    const [display, thumbnails] = await Promise.all([
      encode(base.data, raw, quality),
      Promise.all((options.thumbnailSizes ?? [320, 640]).map(thumbnail)),
    ]);
    const { width, height } = metadata.autoOrient;
    return { source: { width, height }, display, thumbnails };
  } catch (error) {
    throw decodeError(error, format, maxPixels);
  }
}

export interface LogoOptions {
  maxPixels?: number;
  /** Long side of the stored logo; smaller images are kept at their size. */
  maxSide?: number;
}

export interface ProcessedLogo {
  png: Buffer;
  width: number;
  height: number;
}

/**
 * Re-encodes an uploaded logo as one bounded PNG: upright, sRGB, transparency kept (logos are
 * often cut out), no metadata (sharp writes none unless asked). Always PNG, so whatever was
 * uploaded is served from one URL with one content type, and never as the uploaded bytes.
 */
export async function processLogo(path: string, options: LogoOptions = {}): Promise<ProcessedLogo> {
  const maxPixels = options.maxPixels ?? DEFAULT_IMAGE_LIMITS.maxPixels;
  const format = assertKind(await sniffFile(path), 'image');
  try {
    const { data, info } = await load(path, maxPixels)
      .resize(fitInside(options.maxSide ?? 512))
      .toColourspace('srgb')
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  } catch (error) {
    throw decodeError(error, format, maxPixels);
  }
}

/** Every decode goes through here so the pixel limit, strictness and EXIF rotation never differ. */
function load(path: string, maxPixels: number): Sharp {
  const options: SharpOptions = {
    limitInputPixels: maxPixels,
    // 'error' refuses truncated and corrupt data but tolerates libjpeg warnings (such as
    // "extraneous bytes before marker") that many cameras produce.
    failOn: 'error',
    autoOrient: true,
  };
  return sharp(path, options);
}

const fitInside = (side: number) =>
  ({ width: side, height: side, fit: 'inside', withoutEnlargement: true }) as const;

const rawOf = (info: Raw): Raw => ({
  width: info.width,
  height: info.height,
  channels: info.channels,
});

/** Both encodings from one raw (already resized) image: resizing is the expensive part. */
async function encode(
  data: Buffer,
  raw: Raw,
  quality: { jpeg: number; webp: number },
): Promise<RenderedImage> {
  const [jpeg, webp] = await Promise.all([
    sharp(data, { raw })
      .jpeg({ quality: quality.jpeg, progressive: true, chromaSubsampling: '4:2:0' })
      .toBuffer(),
    sharp(data, { raw }).webp({ quality: quality.webp }).toBuffer(),
  ]);
  return { width: raw.width, height: raw.height, jpeg, webp };
}

function decodeError(error: unknown, format: ImageType, maxPixels: number): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return rejectedMedia('image_too_large', 413, 'The image has too many pixels', { maxPixels });
  }
  if (format === 'heic') {
    // The prebuilt libvips has no HEVC decoder (patents): say so instead of "corrupt".
    return rejectedMedia(
      'unsupported_media',
      415,
      'HEIC photos cannot be read on this server; please upload a JPEG',
      { detected: format },
    );
  }
  return rejectedMedia('image_corrupt', 422, 'The image is damaged or incomplete', {
    detected: format,
    reason: message.slice(0, 200),
  });
}
