import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { AUTHENTICATED } from '../../http/openapi.js';
import type { RequireRole } from '../auth/auth.guard.js';
import {
  DashboardSchema,
  PortraitIdParams,
  SeriesQuery,
  StatsSeries,
  TopPortraits,
  TopPortraitsQuery,
} from './analytics.schemas.js';
import type { AnalyticsService } from './analytics.service.js';

export interface AnalyticsRoutesDeps {
  requireRole: RequireRole;
  analyticsService: Pick<
    AnalyticsService,
    'portraitSeries' | 'summary' | 'topPortraits' | 'dashboard'
  >;
}

const RANGE =
  'The range is `days` ending today (30 by default) or `from`–`to` (UTC days, inclusive, at ' +
  'most 366); 400 `date_range_invalid` (with `details.reason`) for a range that does not add up.';

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
          summary: "A portrait's page views, AR interactions and funnel per day or week",
          description: RANGE,
          security: AUTHENTICATED,
          params: PortraitIdParams,
          querystring: SeriesQuery,
          response: { 200: StatsSeries, ...AUTH_ERRORS, 400: ErrorBody, 404: ErrorBody },
        },
      },
      ({ params, query }) => analytics.portraitSeries(params.id, query),
    );

    app.get(
      '/api/analytics/summary',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['analytics'],
          summary: 'Page views, AR interactions and funnel per day or week over all portraits',
          description: RANGE,
          security: AUTHENTICATED,
          querystring: SeriesQuery,
          response: { 200: StatsSeries, ...AUTH_ERRORS, 400: ErrorBody },
        },
      },
      ({ query }) => analytics.summary(query),
    );

    app.get(
      '/api/analytics/top-portraits',
      {
        onRequest: requireRole('operator'),
        schema: {
          tags: ['analytics'],
          summary: 'The portraits with the most page views over a range, with their client',
          description: RANGE,
          security: AUTHENTICATED,
          querystring: TopPortraitsQuery,
          response: { 200: TopPortraits, ...AUTH_ERRORS, 400: ErrorBody },
        },
      },
      ({ query }) => analytics.topPortraits(query),
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
