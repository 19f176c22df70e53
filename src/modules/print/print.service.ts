import type { Database } from '../../infra/db/database.js';
import { printImage, uprightSize } from '../../infra/media/print-image.js';
import { parseStorageKey, type Storage } from '../../infra/storage/index.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import { PRINT_CARD_TEXT, type PrintLanguage } from './print-card-text.js';
import { buildPrintPdf } from './print-pdf.js';
import {
  bleedPixels,
  customSizeProblem,
  printSizeMm,
  sizeLabel,
  type PrintBoxRequest,
  type PrintFormat,
  type SizeMm,
} from './print-layout.js';

export interface PrintRequest {
  format: PrintFormat;
  widthMm?: number | undefined;
  heightMm?: number | undefined;
  lang: PrintLanguage;
}

export interface PrintPdf {
  pdf: Uint8Array;
  fileName: string;
  /** The printed portrait (the trim), in mm. */
  print: SizeMm;
  /** The marker's declared size (what the AR page sizes the video plane with), in mm. */
  marker: SizeMm;
  /** The photo's pixels, as embedded (without the bleed extension). */
  photo: { width: number; height: number };
}

interface Deps {
  database: Database;
  storage: Storage;
  portraits: Pick<PortraitsRepo, 'findById' | 'currentMarker'>;
  publicUrl: (slug: string) => string;
  clock: Clock;
  maxImagePixels: number;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function boxRequest(request: PrintRequest): PrintBoxRequest {
  if (request.format !== 'custom') return { format: request.format };
  const problem = customSizeProblem(request.widthMm, request.heightMm);
  if (problem !== null || request.widthMm === undefined || request.heightMm === undefined)
    throw new AppError('print_size_invalid', 400, problem ?? 'invalid custom size', {
      widthMm: request.widthMm ?? null,
      heightMm: request.heightMm ?? null,
    });
  return { format: 'custom', widthMm: request.widthMm, heightMm: request.heightMm };
}

export function createPrintService({
  database,
  storage,
  portraits,
  publicUrl,
  clock,
  maxImagePixels,
}: Deps) {
  const { db } = database;

  /**
   * The print-ready PDF of a portrait. Refused (409) until its current marker is ready: the
   * print is only useful once the AR page recognises it, and a failed marker means the photo
   * has to be replaced or the marker regenerated first.
   */
  async function pdf(portraitId: string, request: PrintRequest): Promise<PrintPdf> {
    const box = boxRequest(request); // bad input is refused before any lookup or decode
    const portrait = await portraits.findById(db, portraitId);
    if (portrait === undefined) throw notFound('portrait');
    const marker = await portraits.currentMarker(db, portrait);
    if (marker?.status !== 'ready' || marker.widthMm === null || marker.heightMm === null) {
      const status = marker?.status ?? 'missing';
      throw new AppError(
        'marker_not_ready',
        409,
        status === 'failed'
          ? 'The marker could not be made from this photo: regenerate it or replace the photo before printing.'
          : 'The marker is still being prepared: the print is available once it is ready.',
        { markerStatus: status },
      );
    }
    const original = await readAll((await storage.get(parseStorageKey(portrait.originalKey))).body);
    const photo = await uprightSize(original, maxImagePixels);
    const print = printSizeMm(box, photo);
    const image = await printImage(original, bleedPixels(photo.width, print), {
      maxPixels: maxImagePixels,
    });
    const text = PRINT_CARD_TEXT[request.lang];
    const formatLabel = request.format === 'custom' ? sizeLabel(print) : request.format;
    const pdf = await buildPrintPdf({
      image,
      trim: print,
      publicUrl: publicUrl(portrait.slug),
      text,
      formatLabel,
      title: `Vertex AR ${portrait.slug} ${formatLabel}`,
      createdAt: clock.now(),
    });
    return {
      pdf,
      fileName: `vertex-ar-${portrait.slug}-${request.format === 'custom' ? sizeLabel(print) : request.format}.pdf`,
      print,
      marker: { widthMm: marker.widthMm, heightMm: marker.heightMm },
      photo: { width: image.photoWidthPx, height: image.photoHeightPx },
    };
  }

  return { pdf };
}

export type PrintService = ReturnType<typeof createPrintService>;
