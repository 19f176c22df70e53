import type { FastifyInstance } from 'fastify';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface RequestObserver {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/**
 * Times every request by its route template (`/p/:slug`): raw URLs would make one series per
 * slug or scanner probe. Requests no route matched share `unmatched`, odd methods `OTHER`.
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: RequestObserver): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    metrics.observeRequest(
      METHODS.has(request.method) ? request.method : 'OTHER',
      route === undefined || (reply.statusCode === 404 && request.is404) ? 'unmatched' : route,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
}
