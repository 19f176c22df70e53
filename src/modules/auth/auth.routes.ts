import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_ERRORS, ErrorBody } from '../../http/errors.js';
import { SESSION_ONLY } from '../../http/openapi.js';
import type { UserLocale } from '../../infra/db/schema.js';
import { resolveLocale } from '../users/account-locale.js';
import { toPublicUser } from '../users/users.service.js';
import { SESSION_COOKIE, sessionAuthOf, type RequireRole } from './auth.guard.js';
import type { SignInCompletion, SignInOutcome } from '../two-factor/sign-in.js';
import {
  EmailCodeBody,
  EmailCodeSent,
  SecondFactorBody,
} from '../two-factor/two-factor.schemas.js';
import {
  LocaleResponse,
  LoginBody,
  LoginOrChallengeResponse,
  LoginResponse,
  MeResponse,
} from './auth.schemas.js';
import type { AuthService, ClientMeta, LoginResult } from './auth.service.js';
import type { TokenService } from './tokens.js';

export const clientMeta = (request: FastifyRequest): ClientMeta => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

/** The httpOnly session cookie for a sign-in that opened a session (password, 2FA, SSO). */
export function setSessionCookie(
  reply: FastifyReply,
  result: Pick<LoginResult, 'accessToken' | 'expiresAt'>,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, result.accessToken, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    expires: new Date(result.expiresAt),
  });
}

export interface AuthRoutesDeps {
  requireRole: RequireRole;
  authService: Pick<AuthService, 'verifyPassword' | 'logout'>;
  /** What follows the password: a session, or a second-factor challenge. */
  signIn: Pick<SignInCompletion, 'afterFirstFactor' | 'complete' | 'sendEmailCode'>;
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
  signIn,
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

  /** Sets the session cookie and answers with the session (LoginResponse). */
  const answerSession = (
    request: FastifyRequest,
    reply: FastifyReply,
    result: LoginResult,
    enrolmentRequired: boolean,
  ) => {
    setSessionCookie(reply, result, secureCookie(request));
    const { savedLocale, ...answer } = result;
    return { ...answer, enrolmentRequired, ...localeFor(request, savedLocale) };
  };

  const answerSignIn = (request: FastifyRequest, reply: FastifyReply, outcome: SignInOutcome) =>
    outcome.kind === 'session'
      ? answerSession(request, reply, outcome.session, outcome.enrolmentRequired)
      : {
          twoFactorRequired: true as const,
          challenge: outcome.challenge,
          methods: outcome.methods,
          expiresAt: outcome.expiresAt,
        };

  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with username and password',
          description:
            'Returns a bearer token and sets an httpOnly session cookie. Cookie-authenticated ' +
            'unsafe requests must send the returned CSRF token in `x-csrf-token`. An account ' +
            'with two-factor sign-in gets `{ twoFactorRequired: true, challenge, methods }` ' +
            'instead (no cookie): `POST /api/auth/login/2fa` completes it.',
          body: LoginBody,
          response: { 200: LoginOrChallengeResponse, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const meta = clientMeta(request);
        const { user, attempt } = await auth.verifyPassword(
          request.body.username,
          request.body.password,
          meta,
        );
        const outcome = await signIn.afterFirstFactor(user, meta, {
          via: { method: 'password' },
          mfaAsserted: false,
          attempt,
        });
        return answerSignIn(request, reply, outcome);
      },
    );

    app.post(
      '/api/auth/login/2fa',
      {
        schema: {
          tags: ['auth'],
          summary: 'Complete a sign-in with a second factor',
          description:
            'The `challenge` from the login answer and exactly one of `code` (authenticator ' +
            'app), `backupCode` or `emailCode`. Sets the session cookie like the login. 401 ' +
            '`two_factor_code_invalid` (counted by the lockout), 401 ' +
            '`two_factor_challenge_invalid` (unknown, expired, used or from another client), ' +
            '423 `account_locked`.',
          body: SecondFactorBody,
          response: { 200: LoginResponse, 423: ErrorBody, ...AUTH_ERRORS },
        },
      },
      async (request, reply) => {
        const { challenge, ...answer } = request.body;
        const result = await signIn.complete(challenge, answer, clientMeta(request));
        return answerSession(request, reply, result.session, result.enrolmentRequired);
      },
    );

    app.post(
      '/api/auth/login/2fa/email',
      {
        schema: {
          tags: ['auth'],
          summary: 'E-mail a sign-in code for a challenge (valid 10 minutes)',
          description:
            'At most one a minute per challenge and five an hour per account (429 ' +
            '`email_code_rate_limited`, `details.retryAfterSeconds`); 409 ' +
            '`email_code_unavailable` when SMTP is not set up or the account has no address.',
          body: EmailCodeBody,
          response: {
            202: EmailCodeSent,
            409: ErrorBody,
            429: ErrorBody,
            502: ErrorBody,
            ...AUTH_ERRORS,
          },
        },
      },
      async (request, reply) => {
        const sent = await signIn.sendEmailCode(request.body.challenge, clientMeta(request));
        return reply.status(202).send(sent);
      },
    );

    app.post(
      '/api/auth/logout',
      {
        onRequest: requireRole('operator', { sessionOnly: true, enrolment: true }),
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
        onRequest: requireRole('operator', { sessionOnly: true, enrolment: true }),
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
          enrolmentRequired: session.enrolmentOnly === 1,
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
