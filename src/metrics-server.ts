import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { registerErrorHandling } from './http/errors.js';
import { metricsRoutes } from './modules/system/metrics.routes.js';

/** `/metrics` as this installation protects it. */
export function metricsRoutesOf(ctx: Pick<AppContext, 'config' | 'scrapeMetrics'>) {
  return metricsRoutes({
    access: ctx.config.metrics,
    trustProxy: ctx.config.trustProxy !== false,
    scrape: () => ctx.scrapeMetrics(),
  });
}

/**
 * METRICS_PORT: `/metrics` alone on its own port (a firewall can then keep it internal), for
 * `serve` and for `worker`, whose job metrics exist only in its own process.
 */
export async function startMetricsServer(
  ctx: Pick<AppContext, 'config' | 'scrapeMetrics' | 'logger'>,
  port: number,
): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: ctx.logger, trustProxy: ctx.config.trustProxy });
  registerErrorHandling(app);
  await app.register(metricsRoutesOf(ctx));
  await app.listen({ port, host: ctx.config.host });
  return app;
}
