import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import {
  ClientDetailSchema,
  ClientIdParams,
  ClientListQuery,
  ClientMergeBody,
  ClientPage,
  ClientPatchBody,
  PhoneCollisionsSchema,
} from './clients.schemas.js';
import type { ClientsService } from './clients.service.js';

export interface ClientsRoutesDeps {
  requireRole: RequireRole;
  clientsService: ClientsService;
}

/** Clients: search, view with portraits, edit, delete with all their files. */
export function clientsRoutes({
  requireRole,
  clientsService: clients,
}: ClientsRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/clients',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: 'List or search clients, newest first',
          security: AUTHENTICATED,
          querystring: ClientListQuery,
          response: { 200: ClientPage, ...AUTH_ERRORS },
        },
      },
      ({ query }) => clients.list(query),
    );

    app.get(
      '/api/clients/collisions',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: 'Clients that have the same phone number as another client',
          description:
            'Left by the phone migration (0013), which rewrote numbers to E.164 without merging ' +
            'people: per number, the client holding it and the others; merge them with ' +
            '`POST /api/clients/{id}/merge` or correct their numbers.',
          security: AUTHENTICATED,
          response: { 200: PhoneCollisionsSchema, ...AUTH_ERRORS },
        },
      },
      () => clients.collisions(),
    );

    app.post(
      '/api/clients/:id/merge',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: 'Merge this client into another one',
          description:
            'Moves its portraits and orders (with their videos and markers) to `intoId` and ' +
            'deletes it, in one transaction; its e-mail is kept when the other client has none. ' +
            'Answers the client that stays.',
          security: AUTHENTICATED,
          params: ClientIdParams,
          body: ClientMergeBody,
          response: { 200: ClientDetailSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      (request) => clients.merge(request.params.id, request.body.intoId, actorOf(request)),
    );

    app.get(
      '/api/clients/:id',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: 'A client with their portraits',
          security: AUTHENTICATED,
          params: ClientIdParams,
          response: { 200: ClientDetailSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      ({ params }) => clients.get(params.id),
    );

    app.patch(
      '/api/clients/:id',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: 'Edit name, phone (normalised, unique) or e-mail (null clears it)',
          security: AUTHENTICATED,
          params: ClientIdParams,
          body: ClientPatchBody,
          response: { 200: ClientDetailSchema, ...AUTH_ERRORS, 404: ErrorBody, 409: ErrorBody },
        },
      },
      (request) => clients.update(request.params.id, request.body, actorOf(request)),
    );

    app.delete(
      '/api/clients/:id',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['clients'],
          summary: 'Delete a client with their portraits, videos, orders and stored files (admin)',
          description:
            'The rows go at once (their public pages answer 404); the files are deleted by a ' +
            'background `storage.cleanup` job.',
          security: AUTHENTICATED,
          params: ClientIdParams,
          response: {
            204: Type.Null({ description: 'Deleted' }),
            ...AUTH_ERRORS,
            404: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        await clients.remove(request.params.id, actorOf(request));
        return reply.status(204).send(null);
      },
    );
  };
}
