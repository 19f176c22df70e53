import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { AUTH_ERRORS, BinaryBody, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import { PortraitDetailSchema, PortraitIdParams } from './portraits.schemas.js';
import { qrPng, qrSvg } from './qr.js';

export function portraitsRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const { requireRole, portraitsService } = ctx.services;

  return async (app) => {
    app.get(
      '/api/portraits/:id',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['portraits'],
          summary: 'A portrait with its processing status, marker quality and active video',
          security: AUTHENTICATED,
          params: PortraitIdParams,
          response: { 200: PortraitDetailSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      ({ params }) => portraitsService.getDetail(params.id),
    );

    app.get(
      '/api/portraits/:id/qr.:format',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['portraits'],
          summary: 'Print-ready QR code of the public link (PNG 1024 px or SVG)',
          security: AUTHENTICATED,
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            format: Type.Union([Type.Literal('png'), Type.Literal('svg')]),
          }),
          response: { 200: BinaryBody, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async ({ params }, reply) => {
        const { publicUrl, slug } = await portraitsService.getDetail(params.id);
        const name = `vertex-ar-${slug}.${params.format}`;
        reply
          .header('content-disposition', `inline; filename="${name}"`)
          .header('cache-control', 'private, max-age=3600');
        return params.format === 'png'
          ? reply.type('image/png').send(await qrPng(publicUrl))
          : reply.type('image/svg+xml').send(await qrSvg(publicUrl));
      },
    );
  };
}
