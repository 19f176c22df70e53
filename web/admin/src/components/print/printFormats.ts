/**
 * The print sizes the PDF route offers (`src/modules/print/print-layout.ts`), and the same
 * fitting rule, so the page can say the printed size before the download: the format's box is
 * turned to the photo's orientation and the whole photo is fitted inside it.
 */
export const PRINT_FORMATS = [
  { value: '10x15', label: '10 × 15 cm', box: [100, 150] },
  { value: '13x18', label: '13 × 18 cm', box: [130, 180] },
  { value: '15x21', label: '15 × 21 cm', box: [150, 210] },
  { value: '20x30', label: '20 × 30 cm', box: [200, 300] },
  { value: 'a5', label: 'A5 (148 × 210 mm)', box: [148, 210] },
  { value: 'a4', label: 'A4 (210 × 297 mm)', box: [210, 297] },
] as const;

export type PrintFormat = (typeof PRINT_FORMATS)[number]['value'] | 'custom';
export const CUSTOM_SIZE_MM = { min: 50, max: 500 } as const;

export const validCustomSide = (mm: number): boolean =>
  Number.isFinite(mm) && mm >= CUSTOM_SIZE_MM.min && mm <= CUSTOM_SIZE_MM.max;

export function fittedSizeMm(
  box: readonly [number, number],
  photo: { width: number; height: number },
): { widthMm: number; heightMm: number } {
  const short = Math.min(...box);
  const long = Math.max(...box);
  const [w, h] = photo.width > photo.height ? [long, short] : [short, long];
  const scale = Math.min(w / photo.width, h / photo.height);
  const round = (mm: number) => Math.round(mm * 100) / 100;
  return { widthMm: round(photo.width * scale), heightMm: round(photo.height * scale) };
}
