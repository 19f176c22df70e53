/**
 * Print sizes and the sheet's geometry, in millimetres (pure: unit-tested beside).
 *
 * The printed image is the whole photo the marker was made from, scaled, never cropped: the
 * tracker recognises the marker's pixels, so a cropped print would lose part of the marker and
 * the video plane (sized from the marker) would overhang the paper. So a format is a box, and
 * the print is the largest size with the photo's aspect ratio that fits inside it, the box
 * turned to the photo's orientation (a landscape photo gets a landscape 15×10). A 2:3 photo
 * fills 10×15 exactly; a 3:4 photo on 10×15 prints 100×133.3 mm. Fitting inside (rather than
 * "long side = the format's long side") keeps a square photo on 10×15 paper (100×100, not
 * 150×150).
 */

/** Named formats: [short side, long side] in mm. */
export const PRINT_FORMATS = {
  '10x15': [100, 150],
  '13x18': [130, 180],
  '15x21': [150, 210],
  '20x30': [200, 300],
  a5: [148, 210],
  a4: [210, 297],
} as const satisfies Record<string, readonly [number, number]>;

export type NamedPrintFormat = keyof typeof PRINT_FORMATS;
export type PrintFormat = NamedPrintFormat | 'custom';
export const PRINT_FORMAT_NAMES = [
  ...(Object.keys(PRINT_FORMATS) as NamedPrintFormat[]),
  'custom',
] as const;

/** Custom sizes: below 50 mm a phone cannot track the print, above 500 mm no studio printer. */
export const CUSTOM_SIZE_MM = { min: 50, max: 500 } as const;
/** Image extended beyond the trim, so a slightly off cut leaves no white edge. */
export const BLEED_MM = 3;
/** Paper beyond the bleed that carries the crop marks: 2 mm gap, 5 mm mark, 3 mm free. */
export const MARK_GAP_MM = 2;
export const MARK_LENGTH_MM = 5;
export const MARK_MARGIN_MM = 10;
/** The QR card: business-card size. */
export const CARD_MM = { width: 90, height: 50 } as const;

export const MM_PER_INCH = 25.4;
export const POINTS_PER_MM = 72 / MM_PER_INCH;

export interface SizeMm {
  widthMm: number;
  heightMm: number;
}

export type PrintBoxRequest =
  { format: NamedPrintFormat } | { format: 'custom'; widthMm: number; heightMm: number };

/** Why a custom size is refused, or null when it is usable. */
export function customSizeProblem(
  widthMm: number | undefined,
  heightMm: number | undefined,
): string | null {
  if (widthMm === undefined || heightMm === undefined)
    return 'format=custom needs widthMm and heightMm';
  for (const [name, value] of [
    ['widthMm', widthMm],
    ['heightMm', heightMm],
  ] as const) {
    if (!Number.isFinite(value) || value < CUSTOM_SIZE_MM.min || value > CUSTOM_SIZE_MM.max)
      return `${name} must be between ${CUSTOM_SIZE_MM.min} and ${CUSTOM_SIZE_MM.max} mm (got ${value})`;
  }
  return null;
}

/** The format's box turned to the photo's orientation (a square photo keeps it upright). */
export function orientedBox(
  request: PrintBoxRequest,
  photo: { width: number; height: number },
): SizeMm {
  const [a, b] =
    request.format === 'custom'
      ? [request.widthMm, request.heightMm]
      : PRINT_FORMATS[request.format];
  const short = Math.min(a, b);
  const long = Math.max(a, b);
  return photo.width > photo.height
    ? { widthMm: long, heightMm: short }
    : { widthMm: short, heightMm: long };
}

/** The printed portrait's size (the trim): the photo fitted inside the oriented box. */
export function printSizeMm(
  request: PrintBoxRequest,
  photo: { width: number; height: number },
): SizeMm {
  const box = orientedBox(request, photo);
  const scale = Math.min(box.widthMm / photo.width, box.heightMm / photo.height);
  // 0.01 mm is far below any printer's precision and keeps the numbers readable.
  const round = (mm: number) => Math.round(mm * 100) / 100;
  return { widthMm: round(photo.width * scale), heightMm: round(photo.height * scale) };
}

/** Pixels of the photo that fall into the bleed on each side, at the print's scale. */
export function bleedPixels(photoWidthPx: number, print: SizeMm): number {
  return Math.ceil((BLEED_MM * photoWidthPx) / print.widthMm);
}

/** The page around a trim: trim + bleed + mark margin on every side. */
export function pageSizeMm(trim: SizeMm): SizeMm {
  const extra = 2 * (BLEED_MM + MARK_MARGIN_MM);
  return { widthMm: trim.widthMm + extra, heightMm: trim.heightMm + extra };
}

/** `100x150`, the form used in headers and file names. */
export const sizeLabel = ({ widthMm, heightMm }: SizeMm): string =>
  `${Number(widthMm.toFixed(1))}x${Number(heightMm.toFixed(1))}`;
