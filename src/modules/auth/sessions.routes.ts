import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import { sessionAuthOf, type RequireRole } from './auth.guard.js';
import {
  RevokedCountSchema,
  SessionIdParams,
  SessionListSchema,
  UserSessionParams,
} from './sessions.schemas.js';
import type { SessionActor, SessionsService } from './sessions.service.js';

export interface SessionsRoutesDeps {
  requireRole: RequireRole;
  sessionsService: SessionsService;
}

const sessionActor = (request: FastifyRequest): SessionActor => {
  const { user, session } = sessionAuthOf(request);
  return { userId: user.id, role: user.role, ip: request.ip, sessionId: session.id };
};

/**
 * One's own sessions (any logged-in user) and any user's (admins). Sessions only: an API key
 * can neither see nor close sessions (403 `api_key_not_allowed`).
 */
export function sessionsRoutes({
  requireRole,
  sessionsService: sessions,
}: SessionsRoutesDeps): FastifyPluginAsyncTypebox {
  const anyone = requireRole('operator', { sessionOnly: true });
  const admin = requireRole('admin', { sessionOnly: true });

  return async (app) => {
    app.get(
      '/api/auth/sessions',
      {
        onRequest: anyone,
        schema: {
          tags: ['auth'],
          summary: 'Your open sessions (devices), newest first',
          security: SESSION_ONLY,
          response: { 200: SessionListSchema, ...AUTH_ERRORS },
        },
      },
      async (request) => sessions.listOwn(sessionActor(request)),
    );

    app.delete(
      '/api/auth/sessions/:id',
      {
        onRequest: anyone,
        schema: {
          tags: ['auth'],
          summary: 'Close one of your sessions',
          description:
            'Its next request answers 401. Closing the current one logs you out. Another ' +
            "user's session is a 404 (admins may close anyone's).",
          security: SESSION_ONLY,
          params: SessionIdParams,
          response: { 204: Type.Null(), ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await sessions.revoke(sessionActor(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/sessions/revoke-others',
      {
        onRequest: anyone,
        schema: {
          tags: ['auth'],
          summary: 'Sign out everywhere else: close all your sessions but this one',
          security: SESSION_ONLY,
          response: { 200: RevokedCountSchema, ...AUTH_ERRORS },
        },
      },
      async (request) => sessions.revokeOthers(sessionActor(request)),
    );

    app.get(
      '/api/users/:id/sessions',
      {
        onRequest: admin,
        schema: {
          tags: ['users'],
          summary: "A user's open sessions (admin)",
          security: SESSION_ONLY,
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: SessionListSchema, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request) => sessions.listForUser(sessionActor(request), request.params.id),
    );

    app.delete(
      '/api/users/:id/sessions/:sessionId',
      {
        onRequest: admin,
        schema: {
          tags: ['users'],
          summary: "Close one of a user's sessions (admin)",
          security: SESSION_ONLY,
          params: UserSessionParams,
          response: { 204: Type.Null(), ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await sessions.revokeOfUser(
          sessionActor(request),
          request.params.id,
          request.params.sessionId,
        );
        return reply.status(204).send(null);
      },
    );
  };
}
