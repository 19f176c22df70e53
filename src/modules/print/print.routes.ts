import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AUTH_ERRORS, BinaryBody, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import { PortraitIdParams } from '../portraits/portraits.schemas.js';
import { PRINT_LANGUAGES } from './print-card-text.js';
import { CUSTOM_SIZE_MM, PRINT_FORMAT_NAMES, sizeLabel } from './print-layout.js';
import type { PrintService } from './print.service.js';

const PrintPdfQuery = Type.Object({
  format: Type.Optional(
    Type.Union(
      PRINT_FORMAT_NAMES.map((name) => Type.Literal(name)),
      { default: '10x15', description: 'Print size: photo formats in cm, A5/A4, or `custom`' },
    ),
  ),
  widthMm: Type.Optional(
    Type.Number({
      description: `With format=custom: width in mm (${CUSTOM_SIZE_MM.min}–${CUSTOM_SIZE_MM.max})`,
    }),
  ),
  heightMm: Type.Optional(
    Type.Number({
      description: `With format=custom: height in mm (${CUSTOM_SIZE_MM.min}–${CUSTOM_SIZE_MM.max})`,
    }),
  ),
  lang: Type.Optional(
    Type.Union(
      PRINT_LANGUAGES.map((lang) => Type.Literal(lang)),
      { default: 'ru', description: 'Language of the QR card' },
    ),
  ),
});

export interface PrintRoutesDeps {
  requireRole: RequireRole;
  printService: PrintService;
}

export function printRoutes({
  requireRole,
  printService,
}: PrintRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/portraits/:id/print.pdf',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['portraits'],
          summary:
            'Print-ready PDF: the portrait at the chosen size with bleed and crop marks, and a QR card',
          description:
            'Page 1: the original photo at full resolution, fitted inside the format (turned to ' +
            "the photo's orientation, never cropped), 3 mm mirrored bleed, crop marks; TrimBox " +
            'and BleedBox set. Page 2: a 90×50 mm card with the QR code of the public link and a ' +
            'two-line instruction in `lang`. Headers `X-Print-Size-Mm` (the printed portrait) ' +
            "and `X-Marker-Size-Mm` (the marker's declared size; same aspect ratio, see " +
            'docs/printing.md). 409 `marker_not_ready` until the marker is ready; 400 ' +
            '`print_size_invalid` for a missing or out-of-range custom size.',
          security: AUTHENTICATED,
          params: PortraitIdParams,
          querystring: PrintPdfQuery,
          response: {
            200: BinaryBody,
            ...AUTH_ERRORS,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async ({ params, query }, reply) => {
        const result = await printService.pdf(params.id, {
          format: query.format ?? '10x15',
          widthMm: query.widthMm,
          heightMm: query.heightMm,
          lang: query.lang ?? 'ru',
        });
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${result.fileName}"`)
          .header('cache-control', 'private, no-store')
          .header('x-print-size-mm', sizeLabel(result.print))
          .header('x-marker-size-mm', sizeLabel(result.marker))
          .header('x-print-photo-px', `${result.photo.width}x${result.photo.height}`)
          .send(Buffer.from(result.pdf));
      },
    );
  };
}
