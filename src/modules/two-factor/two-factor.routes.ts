import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import { sessionAuthOf, type RequireRole } from '../auth/auth.guard.js';
import { clientMeta } from '../auth/auth.routes.js';
import type { TwoFactorService } from './two-factor.service.js';
import {
  BackupCodesResponse,
  CodeBody,
  DisableBody,
  TotpSetupResponse,
  TwoFactorStatusResponse,
} from './two-factor.schemas.js';

export interface TwoFactorRoutesDeps {
  requireRole: RequireRole;
  twoFactorService: TwoFactorService;
}

const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * A person's own two-factor sign-in (status, TOTP enrolment, backup codes, turning it off) and
 * an admin's reset of someone else's. A person's session only: API keys get 403.
 */
export function twoFactorRoutes({
  requireRole,
  twoFactorService: twoFactor,
}: TwoFactorRoutesDeps): FastifyPluginAsyncTypebox {
  const enrolment = requireRole('operator', { sessionOnly: true, enrolment: true });
  const own = requireRole('operator', { sessionOnly: true });

  return async (app) => {
    app.get(
      '/api/auth/2fa',
      {
        onRequest: enrolment,
        schema: {
          tags: ['auth'],
          summary: 'Your two-factor sign-in: on or off, backup codes left, what the policy asks',
          security: SESSION_ONLY,
          response: { 200: TwoFactorStatusResponse, ...AUTH_ERRORS },
        },
      },
      async (request) => twoFactor.status(sessionAuthOf(request)),
    );

    app.post(
      '/api/auth/2fa/totp/setup',
      {
        onRequest: enrolment,
        schema: {
          tags: ['auth'],
          summary: 'Start TOTP enrolment: a new secret, its otpauth URL and QR code',
          description:
            'The secret stays pending until `POST /api/auth/2fa/totp/confirm` with a first code; ' +
            'starting again replaces it. 409 `two_factor_already_enabled` when TOTP is on.',
          security: SESSION_ONLY,
          response: { 200: TotpSetupResponse, 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request) => twoFactor.startTotp(sessionAuthOf(request).user),
    );

    app.post(
      '/api/auth/2fa/totp/confirm',
      {
        onRequest: enrolment,
        schema: {
          tags: ['auth'],
          summary: 'Turn TOTP on with a first code; returns the 10 backup codes (shown once)',
          description:
            'An enrolment-only session becomes a full one. 401 `two_factor_code_invalid`, ' +
            '409 `two_factor_setup_missing` (no setup started), `two_factor_already_enabled`.',
          security: SESSION_ONLY,
          body: CodeBody,
          response: { 200: BackupCodesResponse, 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request) => ({
        backupCodes: await twoFactor.confirmTotp(
          sessionAuthOf(request),
          request.body.code,
          clientMeta(request),
        ),
      }),
    );

    app.post(
      '/api/auth/2fa/totp/disable',
      {
        onRequest: own,
        schema: {
          tags: ['auth'],
          summary: 'Turn two-factor sign-in off (password and a TOTP or backup code)',
          description:
            'An account whose password login is off (single sign-on only) gives the code alone. ' +
            '400 `two_factor_password_required` (password missing), ' +
            '401 `invalid_credentials` (password), 401 `two_factor_code_invalid`, 423 while ' +
            'locked out, 409 `two_factor_not_enabled`. Under `REQUIRE_2FA` your sessions may then ' +
            'only enrol again.',
          security: SESSION_ONLY,
          body: DisableBody,
          response: { 204: Type.Null(), 409: ErrorBody, 423: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await twoFactor.disable(
          sessionAuthOf(request),
          request.body.password,
          request.body.code,
          clientMeta(request),
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/2fa/backup-codes',
      {
        onRequest: own,
        schema: {
          tags: ['auth'],
          summary: 'New backup codes (needs a TOTP or backup code); the old set stops working',
          security: SESSION_ONLY,
          body: CodeBody,
          response: { 200: BackupCodesResponse, 409: ErrorBody, 423: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request) => ({
        backupCodes: await twoFactor.regenerateBackupCodes(
          sessionAuthOf(request).user,
          request.body.code,
          clientMeta(request),
        ),
      }),
    );

    app.delete(
      '/api/users/:id/2fa',
      {
        onRequest: requireRole('admin', { sessionOnly: true }),
        schema: {
          tags: ['users'],
          summary: "Reset a user's two-factor sign-in (admin; after checking who they are)",
          description:
            'Removes the TOTP secret and backup codes and revokes every session of the user. ' +
            '404 no such user, 409 `two_factor_not_enabled`.',
          security: SESSION_ONLY,
          params: UserIdParams,
          response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await twoFactor.resetForUser(request.params.id, actorOf(request));
        return reply.status(204).send(null);
      },
    );
  };
}
