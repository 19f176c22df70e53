import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../../infra/db/schema.js';
import { AppError } from '../../shared/errors.js';
import { roleAtLeast, type AuthService, type Authenticated } from './auth.service.js';
import type { TokenService } from './tokens.js';

export const SESSION_COOKIE = 'vertex_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestAuth extends Authenticated {
  /** How the token arrived: a cookie needs a CSRF token on unsafe methods, a header does not. */
  via: 'bearer' | 'cookie';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function readCredentials(
  request: FastifyRequest,
): { token: string; via: RequestAuth['via'] } | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] === undefined) {
      throw new AppError('invalid_token', 401, 'Authorization header must be "Bearer <token>"');
    }
    return { token: match[1], via: 'bearer' };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie === undefined || cookie === '' ? null : { token: cookie, via: 'cookie' };
}

/**
 * Builds the onRequest hook that a protected route uses (before the body is read or validated): resolves the token to a live session,
 * enforces CSRF for cookie-authenticated unsafe requests, then the role.
 */
export function createAuthGuard(auth: AuthService, tokens: TokenService) {
  return function requireRole(role: Role): onRequestAsyncHookHandler {
    return async function guard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
      const credentials = readCredentials(request);
      if (credentials === null) {
        throw new AppError('unauthenticated', 401, 'log in first');
      }
      const authenticated = await auth.authenticate(credentials.token);
      if (credentials.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
        const given = request.headers[CSRF_HEADER];
        if (typeof given !== 'string' || !tokens.verifyCsrfToken(authenticated.session.id, given)) {
          throw new AppError('csrf_failed', 403, `missing or wrong ${CSRF_HEADER} header`);
        }
      }
      if (!roleAtLeast(authenticated.user.role, role)) {
        throw new AppError('forbidden', 403, `this action needs the ${role} role`);
      }
      request.auth = { ...authenticated, via: credentials.via };
    };
  };
}

export type RequireRole = ReturnType<typeof createAuthGuard>;

/** The authenticated context of a guarded route (the guard guarantees it is set). */
export function authOf(request: FastifyRequest): RequestAuth {
  if (request.auth === null) throw new Error('route is missing its auth guard');
  return request.auth;
}
