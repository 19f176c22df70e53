import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_ERRORS } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import { SystemInfoSchema, SystemStatusSchema } from './system.schemas.js';
import type { SystemStatusService } from './system-status.service.js';
import { systemInfo } from './system.service.js';

export interface SystemRoutesDeps {
  requireRole: RequireRole;
  publicBaseUrl: string;
  /** SMTP_URL is set (the send-link e-mail works). */
  mailConfigured: boolean;
  systemStatus: Pick<SystemStatusService, 'snapshot'>;
}

/** Facts about the installation: what the admin app warns about (any user), its status (admins). */
export function systemRoutes({
  requireRole,
  publicBaseUrl,
  mailConfigured,
  systemStatus,
}: SystemRoutesDeps): FastifyPluginAsyncTypebox {
  const info = systemInfo(publicBaseUrl, mailConfigured);

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

    app.get(
      '/api/system/status',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['operations'],
          summary:
            'System status: version, uptime, database and storage health, disk, jobs, last backup, marker timings (the figures of /metrics)',
          security: AUTHENTICATED,
          response: { 200: SystemStatusSchema, ...AUTH_ERRORS },
        },
      },
      () => systemStatus.snapshot(),
    );
  };
}
