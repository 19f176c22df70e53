import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import { authOf } from '../auth/auth.guard.js';
import { PASSWORD_MIN_LENGTH } from '../auth/password.js';
import { UserRef } from './users.schemas.js';

const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64 }),
    password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 256 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('operator')]),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  },
  { additionalProperties: false },
);

/** User administration (admin only). */
export function usersRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const { users, requireRole } = ctx.services;

  return async (app) => {
    app.get(
      '/api/users',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['users'],
          summary: 'List users',
          security: AUTHENTICATED,
          response: {
            200: Type.Object({ items: Type.Array(UserRef) }),
            ...AUTH_ERRORS,
          },
        },
      },
      async () => ({ items: await users.listUsers() }),
    );

    app.post(
      '/api/users',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['users'],
          summary: 'Create a user (no public self-registration exists)',
          security: AUTHENTICATED,
          body: CreateUserBody,
          response: { 201: UserRef, 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const created = await users.createUser(request.body, authOf(request).user.id);
        return reply.status(201).send(created);
      },
    );
  };
}
