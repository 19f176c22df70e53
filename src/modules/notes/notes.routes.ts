import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import { NotesBody, NotesIdParams, NotesSchema } from './notes.schemas.js';
import type { NotesService } from './notes.service.js';

export interface NotesRoutesDeps {
  requireRole: RequireRole;
  notesService: NotesService;
}

const DESCRIPTION =
  'Replaces the note (null or blank clears it). Audited with its length, not its text. ' +
  'Too long or with control characters: 400 `validation_failed`, nothing saved.';

/** The studio's notes on an order and on a client. */
export function notesRoutes({
  requireRole,
  notesService,
}: NotesRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/api/orders/:id/notes',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['orders'],
          summary: "Set or clear the order's note",
          description: DESCRIPTION,
          security: AUTHENTICATED,
          params: NotesIdParams,
          body: NotesBody,
          response: { 200: NotesSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      (request) =>
        notesService.setOrderNotes(request.params.id, request.body.notes, actorOf(request)),
    );

    app.put(
      '/api/clients/:id/notes',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['clients'],
          summary: "Set or clear the client's note",
          description: DESCRIPTION,
          security: AUTHENTICATED,
          params: NotesIdParams,
          body: NotesBody,
          response: { 200: NotesSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      (request) =>
        notesService.setClientNotes(request.params.id, request.body.notes, actorOf(request)),
    );
  };
}
