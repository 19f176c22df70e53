import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { versionInfo } from '../version.js';

/**
 * The OpenAPI document is generated from the route schemas; the UI and its assets are served
 * from the npm package (no CDN). JSON at `/api/docs/json`.
 */
export async function registerOpenApi(app: FastifyInstance, publicBaseUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vertex AR API',
        version: versionInfo.version,
        description:
          'Living portraits: orders, portraits, videos, AR markers. Errors are always ' +
          '`{ error: { code, message, details? } }`.',
      },
      servers: [{ url: publicBaseUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vertex_session' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}

/** OpenAPI `security` of a route that accepts a bearer token or the session cookie. */
export const AUTHENTICATED: Record<string, string[]>[] = [
  { bearerAuth: [] },
  { sessionCookie: [] },
];
