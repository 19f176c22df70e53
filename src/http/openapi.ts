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
          apiKeyAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'vxk_…',
            description: 'An API key (`POST /api/api-keys`) sent as `Authorization: Bearer vxk_…`',
          },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vertex_session' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });
}

/**
 * The one inline `<style>` element Swagger UI's React tree inserts (swagger-ui-bundle.js of
 * @fastify/swagger-ui 6), allowed by its hash instead of 'unsafe-inline'. Measured in Chromium
 * (a `securitypolicyviolation` names it); a new Swagger UI version may change it: the UI still
 * works without it, the violation only shows in the browser console.
 */
const SWAGGER_UI_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/**
 * CSP of the API docs pages. Swagger UI's index.html loads only files of its own (no inline
 * script; React sets element styles through the CSSOM), its logo is a data: image, and
 * "Try it out" calls this origin. Checked in Chromium: no violation while the UI renders.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${SWAGGER_UI_STYLE_HASH}`,
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** OpenAPI `security` of a route that accepts a session (bearer token or cookie) or an API key. */
export const AUTHENTICATED: Record<string, string[]>[] = [
  { bearerAuth: [] },
  { sessionCookie: [] },
  { apiKeyAuth: [] },
];

/** OpenAPI `security` of a route guarded with `sessionOnly`: a person's session, no API key. */
export const SESSION_ONLY: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
