import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Browser protections of every answer. Surfaces that render HTML set their own, stricter-fitted
 * Content-Security-Policy and Permissions-Policy (admin app, public AR page, API docs); the rest
 * (JSON, media, files) get the defaults here:
 * - CSP `default-src 'none'`: a JSON or media answer opened as a page can run nothing;
 * - framing refused twice, consistently: `frame-ancestors 'none'` and `X-Frame-Options: DENY`;
 * - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`;
 * - `Permissions-Policy` with no powerful feature (only the ready AR page allows the camera);
 * - HSTS only on an answer to an HTTPS request (through `TRUST_PROXY`, the proxy's
 *   `X-Forwarded-Proto`): over plain HTTP the header is meaningless and, on a host later moved
 *   behind TLS elsewhere, harmful;
 * - `Cache-Control: no-store` on JSON and on every `/api/` answer that did not choose its own
 *   caching (sessions, users, clients must not sit in a shared or browser cache); media,
 *   markers and static assets keep theirs.
 */
export const DEFAULT_CSP = [
  "default-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const NO_FEATURES_PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

export const HSTS = 'max-age=31536000; includeSubDomains';

function isJson(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && /^application\/([\w.+-]+\+)?json\b/i.test(type);
}

function isApi(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path === '/api' || (path.startsWith('/api/') && !path.startsWith('/api/docs/static/'));
}

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', DEFAULT_CSP);
    }
    if (!reply.hasHeader('permissions-policy')) {
      reply.header('permissions-policy', NO_FEATURES_PERMISSIONS_POLICY);
    }
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (!reply.hasHeader('cache-control') && (isJson(reply) || isApi(request))) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
