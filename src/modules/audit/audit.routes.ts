import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_ERRORS } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import type { AuditLog } from './audit-log.service.js';
import { AuditListQuery, AuditPage, AuditVerifySchema } from './audit.schemas.js';

export interface AuditRoutesDeps {
  requireRole: RequireRole;
  auditLog: Pick<AuditLog, 'list' | 'verify'>;
}

/**
 * The audit log for admins: read and check it, never change it. An admin API key may read
 * it too (a monitoring job that checks the chain, an export to a log store).
 */
export function auditRoutes({ requireRole, auditLog }: AuditRoutesDeps): FastifyPluginAsyncTypebox {
  const admin = requireRole('admin');

  return async (app) => {
    app.get(
      '/api/audit',
      {
        onRequest: admin,
        schema: {
          tags: ['audit'],
          summary: 'Audit log entries, newest first: who did what, to what, when, from where',
          description:
            'Filters combine; an unknown filter, a malformed action or time, or `to` before ' +
            '`from` is a 400 `validation_failed` naming the parameter.',
          security: AUTHENTICATED,
          querystring: AuditListQuery,
          response: { 200: AuditPage, ...AUTH_ERRORS },
        },
      },
      ({ query }) => auditLog.list(query),
    );

    app.get(
      '/api/audit/verify',
      {
        onRequest: admin,
        schema: {
          tags: ['audit'],
          summary: 'Check the hash chain of the whole log; names the first entry that breaks it',
          description:
            'Reads every entry (a page at a time) and recomputes its hash. `ok: false` names the ' +
            'first entry whose content or link to its predecessor does not match.',
          security: AUTHENTICATED,
          response: { 200: AuditVerifySchema, ...AUTH_ERRORS },
        },
      },
      () => auditLog.verify(),
    );
  };
}
