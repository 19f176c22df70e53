import QRCode from 'qrcode';

/**
 * Print-ready QR codes of a portrait's public link: error correction Q (survives a scuffed or
 * partly covered print better than M), the standard 4-module quiet zone, black on white.
 */
const OPTIONS = {
  errorCorrectionLevel: 'Q',
  margin: 4,
  color: { dark: '#000000', light: '#ffffff' },
} as const;

export function qrPng(url: string, widthPx = 1024): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...OPTIONS, type: 'png', width: widthPx });
}

export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { ...OPTIONS, type: 'svg' });
}

/**
 * The same code as a module matrix (`true` = dark), without the quiet zone, for drawing it as
 * vector squares (the print PDF): crisp at any size, same error correction as the images.
 */
export function qrModules(url: string): {
  size: number;
  dark: (row: number, col: number) => boolean;
} {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: OPTIONS.errorCorrectionLevel });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}

/** Modules of quiet zone around the code (the images' margin). */
export const QR_QUIET_ZONE = OPTIONS.margin;
