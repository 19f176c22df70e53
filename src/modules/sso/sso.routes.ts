import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import { AppError } from '../../shared/errors.js';
import { sessionAuthOf, type RequireRole } from '../auth/auth.guard.js';
import { clientMeta, setSessionCookie } from '../auth/auth.routes.js';
import { SSO_COOKIE, SSO_COOKIE_PATH, SSO_COOKIE_TTL_MS } from './sso-cookie.js';
import { SsoFlowError } from './sso.providers.js';
import {
  CallbackQuery,
  LinkResponse,
  LinksResponse,
  PasswordLoginBody,
  ProviderParams,
  ProvidersResponse,
  Redirect,
} from './sso.schemas.js';
import type { SsoService } from './sso.service.js';

export interface SsoRoutesDeps {
  requireRole: RequireRole;
  ssoService: SsoService;
  /** The public URL is HTTPS: cookies are `Secure` even behind a plain-HTTP hop. */
  secureCookies: boolean;
}

export function ssoRoutes({ requireRole, ssoService: sso, secureCookies }: SsoRoutesDeps) {
  const secure = (request: FastifyRequest) => request.protocol === 'https' || secureCookies;
  // Lax: the provider's redirect back is a cross-site top-level navigation.
  const flowCookie = (request: FastifyRequest) => ({
    path: SSO_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secure(request),
  });
  const setFlowCookie = (request: FastifyRequest, reply: FastifyReply, value: string) =>
    reply.setCookie(SSO_COOKIE, value, {
      ...flowCookie(request),
      maxAge: SSO_COOKIE_TTL_MS / 1000,
    });

  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/api/auth/sso/providers',
      {
        schema: {
          tags: ['auth'],
          summary: 'The single sign-on providers configured (for the login page)',
          response: { 200: ProvidersResponse },
        },
      },
      async () => ({ providers: sso.listProviders() }),
    );

    app.get(
      '/api/auth/sso/:provider/start',
      {
        schema: {
          tags: ['auth'],
          summary: "Start signing in with a provider: redirects to the provider's sign-in page",
          description:
            'Sets the short-lived httpOnly cookie `vertex_sso` (state, nonce, PKCE verifier) that ' +
            'binds the callback to this browser. A provider that cannot be reached redirects ' +
            'to `/admin/login?ssoError=sso_provider_unavailable`.',
          params: ProviderParams,
          response: { 302: Redirect, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        let started: { url: string; cookie: string };
        try {
          started = await sso.start(request.params.provider, { kind: 'login' });
        } catch (error) {
          if (!(error instanceof SsoFlowError)) throw error;
          request.log.warn(
            { provider: request.params.provider, reason: error.reason },
            'sso start failed',
          );
          return reply.redirect(`/admin/login?ssoError=${error.code}`, 302);
        }
        setFlowCookie(request, reply, started.cookie);
        return reply.redirect(started.url, 302);
      },
    );

    app.get(
      '/api/auth/sso/:provider/callback',
      {
        schema: {
          tags: ['auth'],
          summary: "The provider's redirect back: signs in, or links the provider",
          description:
            'Success: the session cookie and a redirect to `/admin/`; a second factor needed: ' +
            '`/admin/login?challenge=…&methods=…`; a link: `/admin/account?linked=<provider>`; ' +
            'a refusal: `?ssoError=<code>` on the login (or account) page.',
          params: ProviderParams,
          querystring: CallbackQuery,
          response: { 302: Redirect, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const result = await sso.callback(
          request.params.provider,
          request.query,
          request.cookies[SSO_COOKIE],
          clientMeta(request),
        );
        // Used once, whatever the outcome.
        reply.clearCookie(SSO_COOKIE, flowCookie(request));
        if (result.session !== null) setSessionCookie(reply, result.session, secure(request));
        return reply.redirect(result.location, 302);
      },
    );

    app.post(
      '/api/account/sso/:provider/link',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'Link a provider to this account: answers the URL to navigate to',
          description:
            'Sets the `vertex_sso` cookie; the callback then ends at ' +
            '`/admin/account?linked=<provider>` or `/admin/account?ssoError=<code>`.',
          security: SESSION_ONLY,
          params: ProviderParams,
          response: { 200: LinkResponse, 404: ErrorBody, 502: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const { user, session } = sessionAuthOf(request);
        try {
          const { url, cookie } = await sso.start(request.params.provider, {
            kind: 'link',
            userId: user.id,
            sessionId: session.id,
          });
          setFlowCookie(request, reply, cookie);
          return { url };
        } catch (error) {
          if (!(error instanceof SsoFlowError)) throw error;
          throw new AppError(
            'sso_provider_unavailable',
            502,
            'the sign-on provider cannot be reached: try again later',
          );
        }
      },
    );

    app.get(
      '/api/account/sso-links',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'The providers linked to this account, and whether password login is on',
          security: SESSION_ONLY,
          response: { 200: LinksResponse, ...AUTH_ERRORS },
        },
      },
      async (request) => sso.listLinks(sessionAuthOf(request).user.id),
    );

    app.delete(
      '/api/account/sso-links/:provider',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'Unlink a provider from this account',
          description:
            '409 `sso_last_sign_in_method` when the password login is off and this is the last link.',
          security: SESSION_ONLY,
          params: ProviderParams,
          response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await sso.unlink(
          { userId: sessionAuthOf(request).user.id, ip: request.ip },
          request.params.provider,
        );
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/api/account/password-login',
      {
        onRequest: requireRole('operator', { sessionOnly: true }),
        schema: {
          tags: ['auth'],
          summary: 'Turn the password login of this account on or off',
          description:
            'Off: the password login answers 401 `invalid_credentials`, as for a wrong password. ' +
            '409 `sso_last_sign_in_method` when turning it off with no provider linked.',
          security: SESSION_ONLY,
          body: PasswordLoginBody,
          response: { 204: Type.Null(), 409: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        await sso.setPasswordLogin(
          { userId: sessionAuthOf(request).user.id, ip: request.ip },
          request.body.enabled,
        );
        return reply.status(204).send(null);
      },
    );
  };
  return plugin;
}
