import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { RateLimitReport } from '../../http/rate-limit.js';
import type { Database } from '../../infra/db/database.js';
import type { Storage } from '../../infra/storage/index.js';
import { versionInfo } from '../../version.js';
import { withTimeout } from '../../shared/with-timeout.js';

const CHECK_TIMEOUT_MS = 3000;

type CheckStatus = 'ok' | 'failed';

const ReadyResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('failed')])),
  // Informational: Redis down degrades the limiter (see README) but never makes an instance
  // not ready, or a load balancer would take every instance out at once.
  rateLimit: Type.Object({
    store: Type.Union([Type.Literal('redis'), Type.Literal('memory'), Type.Literal('off')]),
    redis: Type.Union([Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('disabled')]),
  }),
});

export interface HealthRoutesDeps {
  database: Pick<Database, 'ping'>;
  storage: Pick<Storage, 'ping'>;
  rateLimit: () => Promise<RateLimitReport>;
}

/** Liveness, readiness (database + storage) and version: unauthenticated, for probes. */
export function healthRoutes({
  database,
  storage,
  rateLimit,
}: HealthRoutesDeps): FastifyPluginAsyncTypebox {
  const dependencies: Record<string, () => Promise<void>> = {
    database: () => database.ping(),
    storage: () => storage.ping(),
  };

  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['operations'],
          summary: 'Liveness: the process answers',
          response: { 200: Type.Object({ status: Type.Literal('ok') }) },
        },
      },
      () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['operations'],
          summary:
            'Readiness: database and storage reachable (503 names what failed); rate-limit store',
          response: { 200: ReadyResponse, 503: ReadyResponse },
        },
      },
      async (request, reply) => {
        const checks: Record<string, CheckStatus> = {};
        const limiter = rateLimit();
        await Promise.all(
          Object.entries(dependencies).map(async ([name, check]) => {
            try {
              await withTimeout(check(), CHECK_TIMEOUT_MS);
              checks[name] = 'ok';
            } catch (error) {
              request.log.warn({ err: error, dependency: name }, 'readiness check failed');
              checks[name] = 'failed';
            }
          }),
        );
        const ready = Object.values(checks).every((status) => status === 'ok');
        return reply
          .status(ready ? 200 : 503)
          .send({ status: ready ? 'ready' : 'not_ready', checks, rateLimit: await limiter });
      },
    );

    app.get(
      '/version',
      {
        schema: {
          tags: ['operations'],
          summary: 'Application version',
          response: {
            200: Type.Object({
              name: Type.String(),
              version: Type.String(),
              commit: Type.String(),
              node: Type.String(),
            }),
          },
        },
      },
      () => versionInfo,
    );
  };
}
