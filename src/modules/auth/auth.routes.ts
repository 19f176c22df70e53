import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_ERRORS } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import type { UserLocale } from '../../infra/db/schema.js';
import { resolveLocale } from '../users/account-locale.js';
import { toPublicUser } from '../users/users.service.js';
import { SESSION_COOKIE, sessionAuthOf, type RequireRole } from './auth.guard.js';
import { LocaleResponse, LoginBody, LoginResponse, MeResponse } from './auth.schemas.js';
import type { AuthService, ClientMeta } from './auth.service.js';
import type { TokenService } from './tokens.js';

export const clientMeta = (request: FastifyRequest): ClientMeta => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

export interface AuthRoutesDeps {
  requireRole: RequireRole;
  authService: Pick<AuthService, 'login' | 'logout'>;
  tokenService: Pick<TokenService, 'csrfTokenFor'>;
  /** The public URL is HTTPS: the session cookie is `Secure` even behind a plain-HTTP hop. */
  secureCookies: boolean;
  sessionTimeoutMinutes: number;
  /** `DEFAULT_LOCALE`: the language when neither the account nor the browser picks one. */
  defaultLocale: UserLocale;
}

export function authRoutes({
  requireRole,
  authService: auth,
  tokenService: tokens,
  secureCookies,
  sessionTimeoutMinutes,
  defaultLocale,
}: AuthRoutesDeps): FastifyPluginAsyncTypebox {
  const localeFor = (request: FastifyRequest, saved: UserLocale | null) =>
    resolveLocale(saved, request.headers['accept-language'], defaultLocale);
  const secureCookie = (request: FastifyRequest) => request.protocol === 'https' || secureCookies;

  const clearCookie = (request: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie(request),
    });

  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with username and password',
          description:
            'Returns a bearer token and sets an httpOnly session cookie. Cookie-authenticated ' +
            'unsafe requests must send the returned CSRF token in `x-csrf-token`.',
          body: LoginBody,
          response: { 200: LoginResponse, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const result = await auth.login(
          request.body.username,
          request.body.password,
          clientMeta(request),
        );
        reply.setCookie(SESSION_COOKIE, result.accessToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: secureCookie(request),
          expires: new Date(result.expiresAt),
        });
        const { savedLocale, ...answer } = result;
        return { ...answer, ...localeFor(request, savedLocale) };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'Log out: revokes the session behind the token or cookie',
          security: SESSION_ONLY,
          response: { 204: Type.Null(), ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await auth.logout(sessionAuthOf(request), clientMeta(request));
        clearCookie(request, reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'The logged-in user and session',
          security: SESSION_ONLY,
          response: { 200: MeResponse, ...AUTH_ERRORS },
        },
      },
      async (request) => {
        const { user, session } = sessionAuthOf(request);
        return {
          user: toPublicUser(user),
          csrfToken: tokens.csrfTokenFor(session.id),
          session: {
            id: session.id,
            expiresAt: session.expiresAt,
            idleTimeoutMinutes: sessionTimeoutMinutes,
          },
          ...localeFor(request, user.locale),
        };
      },
    );

    app.get(
      '/api/locale',
      {
        schema: {
          tags: ['auth'],
          summary: 'The language for a visitor not signed in (the login page)',
          description:
            "The best of the request's `Accept-Language` among `ru` and `en`, else the " +
            "server's `DEFAULT_LOCALE`. After sign-in, `GET /api/auth/me` answers with the " +
            "account's saved choice first.",
          response: { 200: LocaleResponse },
        },
      },
      async (request) => {
        const { locale, localeSource } = localeFor(request, null);
        // Nothing is saved for a visitor: the source is the browser or the default.
        const source: 'browser' | 'default' = localeSource === 'browser' ? 'browser' : 'default';
        return { locale, localeSource: source };
      },
    );
  };
}
