import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Role } from '../../infra/db/schema.js';
import { AppError } from '../../shared/errors.js';
import { looksLikeApiKey } from '../api-keys/api-key-secret.js';
import type { ApiKeyRow } from '../api-keys/api-keys.repo.js';
import type { ApiKeysService } from '../api-keys/api-keys.service.js';
import type { UserRow } from '../users/users.repo.js';
import { roleAtLeast, type AuthService, type Authenticated } from './auth.service.js';
import type { TokenService } from './tokens.js';

export const SESSION_COOKIE = 'vertex_session';
export const CSRF_HEADER = 'x-csrf-token';

/** A request made by a logged-in person (session JWT in the header or the cookie). */
export interface SessionAuth extends Authenticated {
  /** How the token arrived: a cookie needs a CSRF token on unsafe methods, a header does not. */
  via: 'bearer' | 'cookie';
  apiKey: null;
}

/**
 * A request made with an API key (`Authorization: Bearer vxk_…`). `user` is the key's creator
 * with the key's role (never above the creator's), so audit entries name the person behind it.
 */
export interface ApiKeyAuth {
  user: UserRow;
  via: 'api_key';
  session: null;
  apiKey: ApiKeyRow;
}

export type RequestAuth = SessionAuth | ApiKeyAuth;

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

export interface GuardOptions {
  /**
   * Refuse API keys (403 `api_key_not_allowed`): for what only a person should do — their own
   * sessions and password, user administration, managing API keys.
   */
  sessionOnly?: boolean;
  /**
   * Open to an enrolment-only session too (`REQUIRE_2FA` applies and the account has no second
   * factor yet): me, logout, the locale and the TOTP enrolment. Every other guarded route answers
   * such a session 403 `two_factor_enrolment_required`.
   */
  enrolment?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function readCredentials(
  request: FastifyRequest,
): { token: string; via: 'bearer' | 'cookie' } | null {
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
 * Builds the onRequest hook that a protected route uses (before the body is read or validated):
 * resolves the bearer API key or the session token, enforces CSRF for cookie-authenticated
 * unsafe requests, then the role.
 */
export function createAuthGuard(
  auth: Pick<AuthService, 'authenticate'>,
  tokens: Pick<TokenService, 'verifyCsrfToken'>,
  apiKeys: Pick<ApiKeysService, 'authenticate'>,
) {
  async function resolve(request: FastifyRequest): Promise<RequestAuth> {
    const credentials = readCredentials(request);
    if (credentials === null) {
      throw new AppError('unauthenticated', 401, 'log in first');
    }
    // A key is only ever a bearer header: a cookie holding one is not ours to honour.
    if (credentials.via === 'bearer' && looksLikeApiKey(credentials.token)) {
      const { user, apiKey } = await apiKeys.authenticate(credentials.token, request.ip);
      return { user, apiKey, session: null, via: 'api_key' };
    }
    const authenticated = await auth.authenticate(credentials.token);
    if (credentials.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !tokens.verifyCsrfToken(authenticated.session.id, given)) {
        throw new AppError('csrf_failed', 403, `missing or wrong ${CSRF_HEADER} header`);
      }
    }
    return { ...authenticated, via: credentials.via, apiKey: null };
  }

  return function requireRole(role: Role, options: GuardOptions = {}): onRequestAsyncHookHandler {
    return async function guard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
      const resolved = await resolve(request);
      if (options.sessionOnly === true && resolved.apiKey !== null) {
        throw new AppError('api_key_not_allowed', 403, 'log in as a person to do this');
      }
      if (resolved.session?.enrolmentOnly === 1 && options.enrolment !== true) {
        throw new AppError(
          'two_factor_enrolment_required',
          403,
          'set up two-factor sign-in first: this session may only enrol',
        );
      }
      if (!roleAtLeast(resolved.user.role, role)) {
        throw new AppError('forbidden', 403, `this action needs the ${role} role`);
      }
      request.auth = resolved;
    };
  };
}

export type RequireRole = ReturnType<typeof createAuthGuard>;

/** The authenticated context of a guarded route (the guard guarantees it is set). */
export function authOf(request: FastifyRequest): RequestAuth {
  if (request.auth === null) throw new Error('route is missing its auth guard');
  return request.auth;
}

/** The session of a route guarded with `sessionOnly` (API keys never reach it). */
export function sessionAuthOf(request: FastifyRequest): SessionAuth {
  const auth = authOf(request);
  if (auth.apiKey !== null) throw new Error('route is missing sessionOnly in its guard');
  return auth;
}
