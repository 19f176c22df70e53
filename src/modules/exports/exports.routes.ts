import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import {
  AnalyticsExportQuery,
  ClientExportQuery,
  CsvFile,
  OrderExportQuery,
} from './exports.schemas.js';
import type { CsvExport, ExportsService } from './exports.service.js';

export interface ExportsRoutesDeps {
  requireRole: RequireRole;
  exportsService: ExportsService;
}

const FORMAT =
  'UTF-8 with a BOM (Excel then reads Cyrillic right), `;` between cells (the list separator ' +
  'of Russian Excel), RFC 4180 quoting, CRLF line ends, a header row in `lang`. Dates are ' +
  'ISO 8601 UTC, phones as stored (E.164). Text starting with = + - @ gets a leading ' +
  'apostrophe so a spreadsheet never runs it as a formula. Streamed a page at a time; audited.';

function send(request: FastifyRequest, reply: FastifyReply, file: CsvExport): FastifyReply {
  file.body.on('error', (error) => {
    // The status line is gone by now: the client sees a cut-off download, the log says why.
    request.log.error({ err: error }, 'CSV export failed while streaming');
  });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}

const csvResponse = (...extra: number[]) => ({
  200: CsvFile,
  ...AUTH_ERRORS,
  ...Object.fromEntries(extra.map((status) => [status, ErrorBody])),
});

/** CSV downloads of the orders and clients lists (their filters) and of the analytics. */
export function exportsRoutes({
  requireRole,
  exportsService: exports,
}: ExportsRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/orders/export.csv',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['orders'],
          summary: 'The orders list as CSV: the same filters, rows and order as GET /api/orders',
          description: FORMAT,
          security: AUTHENTICATED,
          querystring: OrderExportQuery,
          produces: ['text/csv'],
          response: csvResponse(),
        },
      },
      async (request, reply) =>
        send(
          request,
          reply,
          await exports.orders(request.query, actorOf(request), request.headers['accept-language']),
        ),
    );

    app.get(
      '/api/clients/export.csv',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: 'The clients list as CSV: the same search, rows and order as GET /api/clients',
          description: FORMAT,
          security: AUTHENTICATED,
          querystring: ClientExportQuery,
          produces: ['text/csv'],
          response: csvResponse(),
        },
      },
      async (request, reply) =>
        send(
          request,
          reply,
          await exports.clients(
            request.query,
            actorOf(request),
            request.headers['accept-language'],
          ),
        ),
    );

    app.get(
      '/api/analytics/export.csv',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['analytics'],
          summary: "Each portrait's page views and AR interactions per day, as CSV",
          description:
            `${FORMAT} One row per portrait and UTC day with activity, oldest day first, over ` +
            'the `days` days ending today or `from`–`to` (as GET /api/analytics/summary; 400 ' +
            '`date_range_invalid` the same way).',
          security: AUTHENTICATED,
          querystring: AnalyticsExportQuery,
          produces: ['text/csv'],
          response: csvResponse(400, 404),
        },
      },
      async (request, reply) =>
        send(
          request,
          reply,
          await exports.analytics(
            request.query,
            actorOf(request),
            request.headers['accept-language'],
          ),
        ),
    );
  };
}
