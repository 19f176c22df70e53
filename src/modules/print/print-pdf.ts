import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { qrModules, QR_QUIET_ZONE } from '../portraits/qr.js';
import type { PrintCardText } from './print-card-text.js';
import {
  BLEED_MM,
  CARD_MM,
  MARK_GAP_MM,
  MARK_LENGTH_MM,
  MARK_MARGIN_MM,
  POINTS_PER_MM,
  pageSizeMm,
  type SizeMm,
} from './print-layout.js';

/**
 * The print-ready PDF: page 1 the portrait at its trim size with bleed and crop marks, page 2
 * the buyer's QR card (90×50 mm) with its own marks. Every page's MediaBox is trim + bleed +
 * mark margin, with TrimBox and BleedBox set, so a print shop's RIP places and cuts it alone.
 * Text is DejaVu Sans (embedded, subset) because the standard PDF fonts have no Cyrillic.
 */

export interface PrintImage {
  /** sRGB JPEG: the whole photo plus `bleedPx` mirrored pixels on every side. */
  jpeg: Buffer;
  /** The photo's own size (without the bleed extension). */
  photoWidthPx: number;
  photoHeightPx: number;
  bleedPx: number;
}

export interface PrintPdfInput {
  image: PrintImage;
  trim: SizeMm;
  publicUrl: string;
  text: PrintCardText;
  formatLabel: string;
  title: string;
  createdAt: Date;
}

const pt = (mm: number): number => mm * POINTS_PER_MM;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
/** 0.5 pt: visible at 150 dpi proofs, thin enough not to be mistaken for the cut. */
const MARK_WIDTH_PT = 0.5;

const require = createRequire(import.meta.url);
let fontBytes: Promise<Buffer> | undefined;
const dejaVu = (): Promise<Buffer> =>
  (fontBytes ??= readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));
let boldBytes: Promise<Buffer> | undefined;
const dejaVuBold = (): Promise<Buffer> =>
  (boldBytes ??= readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')));

/** Adds a page for a trim of this size; returns it with the trim's lower-left corner in pt. */
function addMarkedPage(pdf: PDFDocument, trim: SizeMm): { page: PDFPage; x: number; y: number } {
  const page = pageSizeMm(trim);
  const p = pdf.addPage([pt(page.widthMm), pt(page.heightMm)]);
  const offset = pt(BLEED_MM + MARK_MARGIN_MM);
  const bleed = pt(BLEED_MM);
  const [w, h] = [pt(trim.widthMm), pt(trim.heightMm)];
  p.setTrimBox(offset, offset, w, h);
  p.setBleedBox(offset - bleed, offset - bleed, w + 2 * bleed, h + 2 * bleed);
  drawCropMarks(p, offset, offset, w, h);
  return { page: p, x: offset, y: offset };
}

/** Eight marks on the trim lines, starting outside the bleed so they are never printed into it. */
function drawCropMarks(page: PDFPage, x: number, y: number, w: number, h: number): void {
  const from = pt(BLEED_MM + MARK_GAP_MM);
  const to = from + pt(MARK_LENGTH_MM);
  const line = (x1: number, y1: number, x2: number, y2: number) => {
    page.drawLine({
      start: { x: x1, y: y1 },
      end: { x: x2, y: y2 },
      thickness: MARK_WIDTH_PT,
      color: BLACK,
    });
  };
  for (const cx of [x, x + w]) {
    line(cx, y - from, cx, y - to); // below
    line(cx, y + h + from, cx, y + h + to); // above
  }
  for (const cy of [y, y + h]) {
    line(x - from, cy, x - to, cy); // left
    line(x + w + from, cy, x + w + to, cy); // right
  }
}

/** The QR code as vector squares, one rectangle per horizontal run of dark modules. */
function drawQr(page: PDFPage, url: string, x: number, y: number, sizePt: number): void {
  const qr = qrModules(url);
  const total = qr.size + 2 * QR_QUIET_ZONE;
  const module = sizePt / total;
  page.drawRectangle({ x, y, width: sizePt, height: sizePt, color: rgb(1, 1, 1) });
  for (let row = 0; row < qr.size; row++) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.dark(row, col)) col++;
      page.drawRectangle({
        x: x + (QR_QUIET_ZONE + start) * module,
        // PDF's y grows upwards; the matrix's rows go down.
        y: y + sizePt - (QR_QUIET_ZONE + row + 1) * module,
        width: (col - start) * module,
        height: module,
        color: BLACK,
      });
    }
  }
}

/** Greedy word wrap; a word longer than the line (a URL) is split by characters. */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current !== '') lines.push(current);
  return lines;
}

function drawLines(
  page: PDFPage,
  lines: string[],
  opts: {
    x: number;
    y: number;
    font: PDFFont;
    size: number;
    leading: number;
    color?: ReturnType<typeof rgb>;
  },
): number {
  let y = opts.y;
  for (const line of lines) {
    page.drawText(line, {
      x: opts.x,
      y,
      font: opts.font,
      size: opts.size,
      color: opts.color ?? BLACK,
    });
    y -= opts.leading;
  }
  return y;
}

export async function buildPrintPdf(input: PrintPdfInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(await dejaVu(), { subset: true });
  const bold = await pdf.embedFont(await dejaVuBold(), { subset: true });
  pdf.setTitle(input.title);
  pdf.setCreator('Vertex AR');
  pdf.setProducer('Vertex AR (pdf-lib)');
  pdf.setCreationDate(input.createdAt);
  pdf.setModificationDate(input.createdAt);

  // Page 1: the photo's own pixels exactly on the trim, its mirrored extension in the bleed.
  const { image, trim } = input;
  const sheet = addMarkedPage(pdf, trim);
  const embedded = await pdf.embedJpg(input.image.jpeg);
  const perPxX = pt(trim.widthMm) / image.photoWidthPx;
  const perPxY = pt(trim.heightMm) / image.photoHeightPx;
  sheet.page.drawImage(embedded, {
    x: sheet.x - image.bleedPx * perPxX,
    y: sheet.y - image.bleedPx * perPxY,
    width: (image.photoWidthPx + 2 * image.bleedPx) * perPxX,
    height: (image.photoHeightPx + 2 * image.bleedPx) * perPxY,
  });
  // The print shop's line, in the bottom margin below the marks' ends.
  sheet.page.drawText(input.text.sheetLine(input.formatLabel, `${trim.widthMm}×${trim.heightMm}`), {
    x: sheet.x + pt(2),
    y: pt(1.5),
    font,
    size: 5,
    color: GREY,
  });

  // Page 2: the QR card. Layout in mm from the card's top-left: QR 38 mm square at the left.
  const card = addMarkedPage(pdf, { widthMm: CARD_MM.width, heightMm: CARD_MM.height });
  const qrMm = 38;
  const padMm = 6;
  const top = card.y + pt(CARD_MM.height);
  drawQr(card.page, input.publicUrl, card.x + pt(padMm / 2), top - pt(padMm / 2 + qrMm), pt(qrMm));
  const textX = card.x + pt(padMm / 2 + qrMm + 2);
  const textWidth = pt(CARD_MM.width - padMm / 2 - qrMm - 2 - padMm / 2);
  let y = top - pt(padMm / 2 + 4);
  y = drawLines(card.page, wrapText(input.text.title, bold, 9, textWidth), {
    x: textX,
    y,
    font: bold,
    size: 9,
    leading: 11,
  });
  y -= 3;
  input.text.steps.forEach((step, i) => {
    y = drawLines(card.page, wrapText(`${i + 1}. ${step}`, font, 6.5, textWidth), {
      x: textX,
      y,
      font,
      size: 6.5,
      leading: 8,
    });
    y -= 2;
  });
  const shortLink = input.publicUrl.replace(/^https?:\/\//, '');
  const linkLines = wrapText(shortLink, bold, 6.5, textWidth);
  drawLines(card.page, linkLines, {
    x: textX,
    y: card.y + pt(padMm / 2) + 2 + (linkLines.length - 1) * 8,
    font: bold,
    size: 6.5,
    leading: 8,
  });
  card.page.drawText(input.text.cardLine, {
    x: card.x + pt(2),
    y: pt(1.5),
    font,
    size: 5,
    color: GREY,
  });

  return pdf.save();
}
