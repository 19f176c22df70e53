import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_ERRORS } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import { SystemInfoSchema } from './system.schemas.js';
import { systemInfo } from './system.service.js';

export interface SystemRoutesDeps {
  requireRole: RequireRole;
  publicBaseUrl: string;
}

/** Facts about the installation the admin app warns about (any logged-in user). */
export function systemRoutes({
  requireRole,
  publicBaseUrl,
}: SystemRoutesDeps): FastifyPluginAsyncTypebox {
  const info = systemInfo(publicBaseUrl);

  return async (app) => {
    app.get(
      '/api/system/info',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['operations'],
          summary: 'Public base URL, whether phones can use it (HTTPS), version',
          security: AUTHENTICATED,
          response: { 200: SystemInfoSchema, ...AUTH_ERRORS },
        },
      },
      () => info,
    );
  };
}
