import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../../http/actor.js';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import type { RequireRole } from './auth.guard.js';
import type { LockoutService } from './lockout.service.js';
import { LockoutIdParams, LockoutList } from './lockouts.schemas.js';

export interface LockoutsRoutesDeps {
  requireRole: RequireRole;
  lockoutService: Pick<LockoutService, 'list' | 'unlock'>;
}

/** Admins see and lift failed-login lockouts (a person's session only, like user admin). */
export function lockoutsRoutes({
  requireRole,
  lockoutService: lockouts,
}: LockoutsRoutesDeps): FastifyPluginAsyncTypebox {
  const admin = requireRole('admin', { sessionOnly: true });
  return async (app) => {
    app.get(
      '/api/auth/lockouts',
      {
        onRequest: admin,
        schema: {
          tags: ['auth'],
          summary: 'Failed-login lockouts in force, newest first',
          description:
            'Per (account, IP) locks (`scope: ip`, answered 423 `account_locked`) and ' +
            'account-wide hourly ceilings (`scope: account`, answered 429 to unknown IPs).',
          security: SESSION_ONLY,
          response: { 200: LockoutList, ...AUTH_ERRORS },
        },
      },
      async () => ({ items: await lockouts.list() }),
    );

    app.delete(
      '/api/auth/lockouts/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['auth'],
          summary: 'Lift a lockout (its failure count starts over); audited as `auth.unlock`',
          security: SESSION_ONLY,
          params: LockoutIdParams,
          response: { 204: Type.Null(), ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await lockouts.unlock(request.params.id, actorOf(request));
        return reply.status(204).send(null);
      },
    );
  };
}
