import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import { DashboardSchema, DaysQuery, PortraitIdParams, StatsSeries } from './analytics.schemas.js';
import type { AnalyticsService } from './analytics.service.js';

export interface AnalyticsRoutesDeps {
  requireRole: RequireRole;
  analyticsService: Pick<AnalyticsService, 'portraitSeries' | 'summary' | 'dashboard'>;
}

/** View/interaction analytics per portrait and overall, and the dashboard figures. */
export function analyticsRoutes({
  requireRole,
  analyticsService: analytics,
}: AnalyticsRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/analytics/portraits/:id',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['analytics'],
          summary: "A portrait's page views and AR interactions per day",
          security: AUTHENTICATED,
          params: PortraitIdParams,
          querystring: DaysQuery,
          response: { 200: StatsSeries, ...AUTH_ERRORS, 404: ErrorBody },
        },
      },
      ({ params, query }) => analytics.portraitSeries(params.id, query.days),
    );

    app.get(
      '/api/analytics/summary',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['analytics'],
          summary: 'Page views and AR interactions per day over all portraits',
          security: AUTHENTICATED,
          querystring: DaysQuery,
          response: { 200: StatsSeries, ...AUTH_ERRORS },
        },
      },
      ({ query }) => analytics.summary(query.days),
    );

    app.get(
      '/api/dashboard',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['analytics'],
          summary: 'Dashboard: counts, storage used, recent orders, jobs, views',
          security: AUTHENTICATED,
          response: { 200: DashboardSchema, ...AUTH_ERRORS },
        },
      },
      () => analytics.dashboard(),
    );
  };
}
