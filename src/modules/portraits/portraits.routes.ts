import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, BinaryBody, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import { PageOf, PaginationQuery } from '../../http/pagination.js';
import type { RequireRole } from '../auth/auth.guard.js';
import type { PortraitActions } from './portrait-actions.service.js';
import {
  PortraitDetailSchema,
  PortraitIdParams,
  PortraitStatus,
  PortraitSummarySchema,
} from './portraits.schemas.js';
import type { PortraitsService } from './portraits.service.js';
import { qrPng, qrSvg } from './qr.js';

const PortraitListQuery = Type.Object({
  clientId: Type.Optional(Type.String({ format: 'uuid' })),
  status: Type.Optional(PortraitStatus),
  ...PaginationQuery,
});

export interface PortraitsRoutesDeps {
  requireRole: RequireRole;
  portraitsService: Pick<PortraitsService, 'list' | 'getDetail'>;
  portraitActions: PortraitActions;
}

export function portraitsRoutes({
  requireRole,
  portraitsService,
  portraitActions,
}: PortraitsRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/portraits',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['portraits'],
          summary: 'List portraits, newest first, optionally of one client or in one status',
          security: AUTHENTICATED,
          querystring: PortraitListQuery,
          response: { 200: PageOf(PortraitSummarySchema), ...AUTH_ERRORS },
        },
      },
      ({ query }) => portraitsService.list(query),
    );

    app.delete(
      '/api/portraits/:id',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['portraits'],
          summary: 'Delete a portrait with its videos, markers, order and stored files (admin)',
          description:
            'The rows go at once (the public page answers 404); the files are deleted by a ' +
            'background `storage.cleanup` job.',
          security: AUTHENTICATED,
          params: PortraitIdParams,
          response: {
            204: Type.Null({ description: 'Deleted' }),
            ...AUTH_ERRORS,
            404: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        await portraitActions.remove(request.params.id, actorOf(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/portraits/:id/marker/regenerate',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['portraits'],
          summary: 'Generate a new marker version from the original photo',
          description:
            'Answers 202 with the portrait (processing again until the new marker is ready); ' +
            '409 `marker_in_progress` while the current marker is still being generated.',
          security: AUTHENTICATED,
          params: PortraitIdParams,
          response: { 202: PortraitDetailSchema, ...AUTH_ERRORS, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const detail = await portraitActions.regenerateMarker(request.params.id, actorOf(request));
        return reply.status(202).send(detail);
      },
    );

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
