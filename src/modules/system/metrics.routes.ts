import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorBody } from '../../http/errors.js';
import { AppError } from '../../shared/errors.js';
import type { MetricsSettings } from '../../config.js';
import { createMetricsAccess } from './metrics-access.js';

export interface MetricsRoutesDeps {
  access: Pick<MetricsSettings, 'token' | 'allow'>;
  /** Whether request.ip comes from a trusted proxy's forwarding headers (TRUST_PROXY). */
  trustProxy: boolean;
  /** The exposition text (prom-client registry plus the backup figures). */
  scrape: () => Promise<{ contentType: string; body: string }>;
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** `GET /metrics` for Prometheus: token or allow-listed address (docs/operations.md). */
export function metricsRoutes({
  access,
  trustProxy,
  scrape,
}: MetricsRoutesDeps): FastifyPluginAsyncTypebox {
  const allows = createMetricsAccess(access);
  return async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics (bearer METRICS_TOKEN or an address in METRICS_ALLOW)',
          produces: ['text/plain'],
          response: { 200: Type.String(), 401: ErrorBody },
        },
      },
      async (request, reply) => {
        const allowed = allows({
          ip: request.ip,
          authorization: request.headers.authorization,
          proxiedUntrusted:
            !trustProxy && FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined),
        });
        if (!allowed) {
          reply.header('www-authenticate', 'Bearer realm="metrics"');
          throw new AppError('metrics_unauthorized', 401, 'A valid metrics token is required');
        }
        const { contentType, body } = await scrape();
        return reply.header('cache-control', 'no-store').type(contentType).send(body);
      },
    );
  };
}
