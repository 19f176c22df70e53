import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SafeText } from '../../http/schema-helpers.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import { sessionAuthOf, type RequireRole } from '../auth/auth.guard.js';
import { PASSWORD_MIN_LENGTH } from '../auth/password-policy.js';
import { AccountLocale, UserListItem, UserRef } from './users.schemas.js';
import type { UsersService } from './users.service.js';

const CreateUserBody = Type.Object(
  {
    username: SafeText({ minLength: 3, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('operator')]),
    email: Type.Optional(SafeText({ format: 'email', maxLength: 254 })),
  },
  { additionalProperties: false },
);

/** Where a password is set: what the policy refuses (400 `weak_password`, `details.reason`). */
const WEAK_PASSWORD_DOC =
  `400 \`weak_password\` (\`details.reason\`): shorter than ${PASSWORD_MIN_LENGTH} characters ` +
  '(`too_short`), over 72 bytes (`too_long`), one of the 10 000 most common passwords ' +
  '(`common`) or containing the username (`contains_username`).';

const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const UpdateUserBody = Type.Object(
  {
    disabled: Type.Optional(
      Type.Boolean({ description: 'true disables the account and revokes its sessions' }),
    ),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('operator')])),
  },
  { additionalProperties: false, minProperties: 1 },
);

const ResetPasswordBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

const LocaleBody = Type.Object(
  {
    locale: Type.Union([AccountLocale, Type.Null()], {
      description: 'null forgets the choice: the browser and `DEFAULT_LOCALE` decide again',
    }),
  },
  { additionalProperties: false },
);

export interface UsersRoutesDeps {
  requireRole: RequireRole;
  usersService: Pick<
    UsersService,
    | 'listUsers'
    | 'createUser'
    | 'updateUser'
    | 'resetPassword'
    | 'changeOwnPassword'
    | 'setOwnLocale'
  >;
}

/**
 * User administration (admin only) and changing one's own password (any logged-in user). A
 * person's session only: API keys get 403 `api_key_not_allowed` here.
 */
export function usersRoutes({
  requireRole,
  usersService: users,
}: UsersRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/users',
      {
        onRequest: requireRole('admin', { sessionOnly: true }),
        schema: {
          tags: ['users'],
          summary: 'List users',
          security: SESSION_ONLY,
          response: {
            200: Type.Object({ items: Type.Array(UserListItem) }),
            ...AUTH_ERRORS,
          },
        },
      },
      async () => ({ items: await users.listUsers() }),
    );

    app.post(
      '/api/users',
      {
        onRequest: requireRole('admin', { sessionOnly: true }),
        schema: {
          tags: ['users'],
          summary: 'Create a user (no public self-registration exists)',
          description: WEAK_PASSWORD_DOC,
          security: SESSION_ONLY,
          body: CreateUserBody,
          response: { 201: UserRef, 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const created = await users.createUser(request.body, actorOf(request));
        return reply.status(201).send(created);
      },
    );

    app.patch(
      '/api/users/:id',
      {
        onRequest: requireRole('admin', { sessionOnly: true }),
        schema: {
          tags: ['users'],
          summary: 'Disable/enable a user or change their role',
          description:
            'Disabling revokes every session of the user. An admin cannot disable or demote ' +
            'themselves (409 `cannot_change_self`).',
          security: SESSION_ONLY,
          params: UserIdParams,
          body: UpdateUserBody,
          response: { 200: UserRef, ...AUTH_ERRORS, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const changes = {
          ...(request.body.disabled === undefined ? {} : { disabled: request.body.disabled }),
          ...(request.body.role === undefined ? {} : { role: request.body.role }),
        };
        return users.updateUser(request.params.id, changes, actorOf(request));
      },
    );

    app.post(
      '/api/users/:id/password',
      {
        onRequest: requireRole('admin', { sessionOnly: true }),
        schema: {
          tags: ['users'],
          summary: "Reset a user's password (revokes all their sessions)",
          description: WEAK_PASSWORD_DOC,
          security: SESSION_ONLY,
          params: UserIdParams,
          body: ResetPasswordBody,
          response: { 204: Type.Null(), ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await users.resetPassword(request.params.id, request.body.password, actorOf(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/password',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'Change your own password',
          description:
            'Needs the current password (401 `invalid_credentials` when wrong). Revokes your ' +
            'other sessions; this one stays logged in. ' +
            WEAK_PASSWORD_DOC,
          security: SESSION_ONLY,
          body: ChangePasswordBody,
          response: { 204: Type.Null(), ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await users.changeOwnPassword(
          { ...actorOf(request), sessionId: sessionAuthOf(request).session.id },
          request.body.currentPassword,
          request.body.newPassword,
        );
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/api/auth/me/locale',
      {
        onRequest: requireRole('operator', { sessionOnly: true, enrolment: true }),
        schema: {
          tags: ['auth'],
          summary: "Save the admin app's language on your account",
          description:
            'Follows you to every browser: `GET /api/auth/me` and the login answer return it ' +
            'as `locale` with `localeSource: account`. A value other than `ru`, `en` or null ' +
            'is 400 `validation_failed` and changes nothing.',
          security: SESSION_ONLY,
          body: LocaleBody,
          response: { 200: LocaleBody, ...AUTH_ERRORS },
        },
      },
      async (request) => {
        await users.setOwnLocale(actorOf(request), request.body.locale);
        return { locale: request.body.locale };
      },
    );
  };
}
