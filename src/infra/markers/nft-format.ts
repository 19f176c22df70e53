/**
 * Structural parser/validator for ARToolKit NFT marker files (little-endian; docs/markers.md):
 *
 * - `.iset`: int32 scale count; a complete single-channel JPEG of the full-size image (its
 *   JFIF density is the dpi); one float32 dpi per smaller scale, decreasing.
 * - `.fset`: int32 scale count; per scale: int32 index, float32 max dpi, float32 min dpi,
 *   int32 point count, then 20 bytes per point (int32 x, int32 y, float32 mx, my in mm,
 *   float32 similarity).
 * - `.fset3`: int32 point count; 132 bytes per point (float32 ×2 position in px of its scale
 *   image, float32 ×2 position in mm, 96-byte FREAK descriptor, float32 angle, float32 scale,
 *   int32 maxima flag, int32 page number, int32 image number); int32 page count; per page:
 *   int32 page number, int32 image count, then int32 width, height, image number per image.
 *
 * It proves the files are complete and consistent with each other, not that they track:
 * that is the self-test's job.
 */

export type NftFileKind = 'iset' | 'fset' | 'fset3';

export class NftFormatError extends Error {
  constructor(
    readonly file: NftFileKind | 'marker',
    message: string,
  ) {
    super(`.${file === 'marker' ? 'iset/.fset/.fset3' : file}: ${message}`);
    this.name = 'NftFormatError';
  }
}

/** Sanity bounds: far above anything the generator makes, far below what would hurt to parse. */
const MAX_SCALES = 64;
const MAX_SIDE = 16_384;
const MAX_POINTS = 1_000_000;
const FSET_POINT_BYTES = 20;
const FSET3_POINT_BYTES = 132;

class Reader {
  offset = 0;
  constructor(
    private readonly file: NftFileKind,
    private readonly buf: Buffer,
  ) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  need(bytes: number, what: string): void {
    if (this.remaining < bytes) {
      throw new NftFormatError(
        this.file,
        `truncated: ${what} needs ${bytes} bytes at offset ${this.offset}, only ${this.remaining} left`,
      );
    }
  }

  int32(what: string): number {
    this.need(4, what);
    const value = this.buf.readInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  float32(what: string): number {
    this.need(4, what);
    const value = this.buf.readFloatLE(this.offset);
    this.offset += 4;
    if (!Number.isFinite(value)) {
      throw new NftFormatError(this.file, `${what} is not a finite number (${value})`);
    }
    return value;
  }

  skip(bytes: number, what: string): void {
    this.need(bytes, what);
    this.offset += bytes;
  }

  count(what: string, min: number, max: number): number {
    const value = this.int32(what);
    if (value < min || value > max) {
      throw new NftFormatError(this.file, `${what} ${value} is out of range [${min}, ${max}]`);
    }
    return value;
  }
}

// --- .iset -------------------------------------------------------------------------------

export interface IsetInfo {
  scaleCount: number;
  imageWidth: number;
  imageHeight: number;
  /** JFIF density of the full-size image. */
  dpi: number;
  /** dpi of every scale, full size first, strictly decreasing. */
  scaleDpis: number[];
  jpegBytes: number;
}

interface JpegInfo {
  width: number;
  height: number;
  components: number;
  dpi: number | null;
  /** Offset just past the EOI marker. */
  end: number;
}

/** Walks JPEG segments (baseline or progressive) to find the frame header, JFIF and EOI. */
function scanJpeg(buf: Buffer, start: number): JpegInfo {
  const fail = (message: string): never => {
    throw new NftFormatError('iset', `embedded JPEG: ${message}`);
  };
  if (buf.length < start + 4 || buf[start] !== 0xff || buf[start + 1] !== 0xd8) {
    fail('missing SOI marker');
  }
  let pos = start + 2;
  let frame: { width: number; height: number; components: number } | null = null;
  let dpi: number | null = null;
  for (;;) {
    if (pos + 1 >= buf.length) fail('truncated before EOI');
    if (buf[pos] !== 0xff) fail(`expected a marker at offset ${pos}`);
    while (buf[pos + 1] === 0xff && pos + 2 < buf.length) pos++; // fill bytes
    const marker = buf[pos + 1] as number;
    pos += 2;
    if (marker === 0xd9) {
      if (!frame) fail('no frame header before EOI');
      return { ...(frame as NonNullable<typeof frame>), dpi, end: pos };
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (pos + 2 > buf.length) fail('truncated segment length');
    const length = buf.readUInt16BE(pos);
    if (length < 2 || pos + length > buf.length)
      fail(`segment 0x${marker.toString(16)} overruns the file`);
    const body = pos + 2;
    if (marker === 0xe0 && length >= 14 && buf.toString('latin1', body, body + 5) === 'JFIF\0') {
      const units = buf[body + 7];
      const density = buf.readUInt16BE(body + 8);
      if (units === 1) dpi = density;
      else if (units === 2) dpi = density * 2.54;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      if (length < 8) fail('frame header too short');
      frame = {
        height: buf.readUInt16BE(body + 1),
        width: buf.readUInt16BE(body + 3),
        components: buf[body + 5] as number,
      };
    }
    pos += length;
    if (marker === 0xda) {
      // Entropy-coded data: ends at the first marker that is not a stuffed 0xFF00, a restart
      // marker or fill.
      for (;;) {
        if (pos + 1 >= buf.length) fail('truncated scan data');
        if (buf[pos] === 0xff) {
          const next = buf[pos + 1] as number;
          if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
        }
        pos++;
      }
    }
  }
}

export function parseIset(buf: Buffer): IsetInfo {
  const r = new Reader('iset', buf);
  const scaleCount = r.count('scale count', 1, MAX_SCALES);
  const jpeg = scanJpeg(buf, 4);
  if (jpeg.components !== 1) {
    throw new NftFormatError(
      'iset',
      `JPEG has ${jpeg.components} components, expected 1 (greyscale)`,
    );
  }
  if (jpeg.width < 1 || jpeg.height < 1 || jpeg.width > MAX_SIDE || jpeg.height > MAX_SIDE) {
    throw new NftFormatError('iset', `JPEG size ${jpeg.width}×${jpeg.height} is out of range`);
  }
  if (jpeg.dpi === null || jpeg.dpi <= 0) {
    throw new NftFormatError('iset', 'JPEG has no JFIF density (the marker dpi)');
  }
  r.offset = jpeg.end;
  const expectedTail = 4 * (scaleCount - 1);
  if (r.remaining !== expectedTail) {
    throw new NftFormatError(
      'iset',
      `${scaleCount} scales need ${expectedTail} bytes of dpi values after the JPEG, found ${r.remaining}`,
    );
  }
  const scaleDpis = [jpeg.dpi];
  for (let i = 1; i < scaleCount; i++) {
    const dpi = r.float32(`dpi of scale ${i}`);
    const previous = scaleDpis[i - 1] as number;
    // The top dpi is the JFIF integer; the generator's float can exceed it by < 1.
    if (dpi <= 0 || dpi >= previous + (i === 1 ? 1 : 0)) {
      throw new NftFormatError(
        'iset',
        `dpi of scale ${i} (${dpi}) does not decrease (previous ${previous})`,
      );
    }
    scaleDpis.push(dpi);
  }
  return {
    scaleCount,
    imageWidth: jpeg.width,
    imageHeight: jpeg.height,
    dpi: jpeg.dpi,
    scaleDpis,
    jpegBytes: jpeg.end - 4,
  };
}

// --- .fset -------------------------------------------------------------------------------

export interface FsetScale {
  index: number;
  maxDpi: number;
  minDpi: number;
  points: number;
}

export interface FsetInfo {
  scales: FsetScale[];
}

export function parseFset(buf: Buffer, bounds?: { width: number; height: number }): FsetInfo {
  const r = new Reader('fset', buf);
  const count = r.count('scale count', 1, MAX_SCALES);
  const scales: FsetScale[] = [];
  for (let i = 0; i < count; i++) {
    const index = r.int32(`index of scale ${i}`);
    if (index !== i) throw new NftFormatError('fset', `scale ${i} has index ${index}`);
    const maxDpi = r.float32(`max dpi of scale ${i}`);
    const minDpi = r.float32(`min dpi of scale ${i}`);
    if (!(minDpi > 0 && maxDpi > minDpi)) {
      throw new NftFormatError(
        'fset',
        `scale ${i} has an invalid dpi range [${minDpi}, ${maxDpi}]`,
      );
    }
    const points = r.count(`point count of scale ${i}`, 0, MAX_POINTS);
    r.need(points * FSET_POINT_BYTES, `${points} points of scale ${i}`);
    for (let p = 0; p < points; p++) {
      const x = r.int32('point x');
      const y = r.int32('point y');
      r.float32('point mx');
      r.float32('point my');
      const similarity = r.float32('point similarity');
      if (bounds && (x < 0 || y < 0 || x >= bounds.width || y >= bounds.height)) {
        throw new NftFormatError(
          'fset',
          `point ${p} of scale ${i} at (${x}, ${y}) lies outside the image`,
        );
      }
      if (similarity < -1.0001 || similarity > 1.0001) {
        throw new NftFormatError('fset', `point ${p} of scale ${i} has similarity ${similarity}`);
      }
    }
    scales.push({ index, maxDpi, minDpi, points });
  }
  if (r.remaining !== 0) {
    throw new NftFormatError('fset', `${r.remaining} unexpected bytes after the last scale`);
  }
  return { scales };
}

// --- .fset3 ------------------------------------------------------------------------------

export interface Fset3Image {
  width: number;
  height: number;
  imageNo: number;
}

export interface Fset3Page {
  pageNo: number;
  images: Fset3Image[];
}

export interface Fset3Info {
  points: number;
  /** FREAK points per image number (scale), in image order. */
  pointsPerImage: number[];
  pages: Fset3Page[];
}

interface RawFreakPoint {
  x: number;
  y: number;
  pageNo: number;
  imageNo: number;
}

export function parseFset3(buf: Buffer): Fset3Info {
  const r = new Reader('fset3', buf);
  const count = r.count('point count', 0, MAX_POINTS);
  r.need(count * FSET3_POINT_BYTES, `${count} points`);
  const raw: RawFreakPoint[] = [];
  for (let i = 0; i < count; i++) {
    const x = r.float32('point x');
    const y = r.float32('point y');
    r.float32('point mx');
    r.float32('point my');
    r.skip(96, 'FREAK descriptor');
    r.float32('point angle');
    const scale = r.float32('point scale');
    if (scale <= 0) throw new NftFormatError('fset3', `point ${i} has scale ${scale}`);
    r.int32('point maxima flag');
    const pageNo = r.int32('point page');
    const imageNo = r.int32('point image');
    raw.push({ x, y, pageNo, imageNo });
  }
  const pageCount = r.count('page count', 0, MAX_SCALES);
  const pages: Fset3Page[] = [];
  for (let p = 0; p < pageCount; p++) {
    const pageNo = r.int32(`number of page ${p}`);
    const imageCount = r.count(`image count of page ${p}`, 0, MAX_SCALES);
    const images: Fset3Image[] = [];
    for (let i = 0; i < imageCount; i++) {
      const width = r.count(`width of image ${i}`, 1, MAX_SIDE);
      const height = r.count(`height of image ${i}`, 1, MAX_SIDE);
      const imageNo = r.count(`number of image ${i}`, 0, MAX_SCALES - 1);
      images.push({ width, height, imageNo });
    }
    pages.push({ pageNo, images });
  }
  if (r.remaining !== 0) {
    throw new NftFormatError('fset3', `${r.remaining} unexpected bytes after the page table`);
  }
  const perImage = new Map<number, number>();
  raw.forEach((point, i) => {
    const page = pages.find((candidate) => candidate.pageNo === point.pageNo);
    const image = page?.images.find((candidate) => candidate.imageNo === point.imageNo);
    if (!page || !image) {
      throw new NftFormatError(
        'fset3',
        `point ${i} refers to page ${point.pageNo} image ${point.imageNo}, which is not in the page table`,
      );
    }
    // Positions are sub-pixel feature centres; allow a pixel of slack at the border.
    if (point.x < -1 || point.y < -1 || point.x > image.width + 1 || point.y > image.height + 1) {
      throw new NftFormatError(
        'fset3',
        `point ${i} at (${point.x}, ${point.y}) lies outside its image`,
      );
    }
    perImage.set(point.imageNo, (perImage.get(point.imageNo) ?? 0) + 1);
  });
  const imageCount = Math.max(
    0,
    ...pages.flatMap((page) => page.images.map((image) => image.imageNo + 1)),
  );
  const pointsPerImage = Array.from({ length: imageCount }, (_, i) => perImage.get(i) ?? 0);
  return { points: count, pointsPerImage, pages };
}

// --- the three together ------------------------------------------------------------------

export interface NftScaleInfo {
  dpi: number;
  width: number;
  height: number;
  trackingPoints: number;
  freakPoints: number;
}

export interface NftMarkerInfo {
  imageWidth: number;
  imageHeight: number;
  dpi: number;
  scaleCount: number;
  trackingPoints: { perScale: number[]; total: number };
  freakPoints: number;
  pages: number;
  scales: NftScaleInfo[];
}

export interface NftMarkerFileSet {
  iset: Buffer;
  fset: Buffer;
  fset3: Buffer;
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= Math.max(1e-3, Math.abs(b) * 1e-4);

/** Parses the three files and checks they describe the same image pyramid. Throws NftFormatError. */
export function validateNftMarker(files: NftMarkerFileSet): NftMarkerInfo {
  const iset = parseIset(files.iset);
  const fset = parseFset(files.fset, { width: iset.imageWidth, height: iset.imageHeight });
  const fset3 = parseFset3(files.fset3);
  const fail = (message: string): never => {
    throw new NftFormatError('marker', message);
  };

  if (fset.scales.length !== iset.scaleCount) {
    fail(`.fset has ${fset.scales.length} scales, .iset has ${iset.scaleCount}`);
  }
  fset.scales.forEach((scale, i) => {
    // Each tracking scale covers the dpi range down to the next smaller image.
    const next = iset.scaleDpis[i + 1];
    if (next !== undefined && !close(scale.minDpi, next)) {
      fail(
        `.fset scale ${i} min dpi ${scale.minDpi} does not match .iset scale ${i + 1} (${next})`,
      );
    }
  });
  if (fset3.pages.length !== 1) fail(`.fset3 has ${fset3.pages.length} pages, expected 1`);
  const images = (fset3.pages[0] as Fset3Page).images;
  if (images.length !== iset.scaleCount) {
    fail(`.fset3 lists ${images.length} images, .iset has ${iset.scaleCount} scales`);
  }
  const top = images[0] as Fset3Image;
  if (top.width !== iset.imageWidth || top.height !== iset.imageHeight) {
    fail(
      `.fset3 image 0 is ${top.width}×${top.height}, .iset JPEG is ${iset.imageWidth}×${iset.imageHeight}`,
    );
  }
  const scales = iset.scaleDpis.map((dpi, i): NftScaleInfo => {
    const image = images[i] as Fset3Image;
    if (image.imageNo !== i) fail(`.fset3 image ${i} is numbered ${image.imageNo}`);
    // Each smaller image is the full one scaled by its dpi ratio.
    const expectedWidth = (iset.imageWidth * dpi) / iset.dpi;
    // Slack: the JFIF dpi is an integer, the generator scaled with the exact float.
    if (Math.abs(image.width - expectedWidth) > Math.max(2, expectedWidth * 0.01)) {
      fail(
        `.fset3 image ${i} is ${image.width} px wide, its dpi ${dpi} implies ${expectedWidth.toFixed(1)}`,
      );
    }
    return {
      dpi,
      width: image.width,
      height: image.height,
      trackingPoints: (fset.scales[i] as FsetScale).points,
      freakPoints: fset3.pointsPerImage[i] ?? 0,
    };
  });
  const perScale = fset.scales.map((scale) => scale.points);
  return {
    imageWidth: iset.imageWidth,
    imageHeight: iset.imageHeight,
    dpi: iset.dpi,
    scaleCount: iset.scaleCount,
    trackingPoints: { perScale, total: perScale.reduce((a, b) => a + b, 0) },
    freakPoints: fset3.points,
    pages: fset3.pages.length,
    scales,
  };
}
