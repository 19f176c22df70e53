import * as client from 'openid-client';
import { sameSecret } from '../../shared/same-secret.js';
import { isLoopbackHttp, type SsoProviderSettings } from './sso.types.js';

/** Who the provider says signed in. */
export interface SsoIdentity {
  /** The provider's stable id of the person (`sub`; GitHub's numeric user id). */
  subject: string;
  email: string | null;
  /** The provider vouches for the e-mail (`email_verified`; GitHub's `verified`). */
  emailVerified: boolean;
  /** For a new account's username: the login, `preferred_username`, or the e-mail. */
  usernameHint: string | null;
  /** Every claim, for the role mapping (`OIDC_ROLE_CLAIM`). */
  claims: Record<string, unknown>;
  /** The provider asserts a multi-factor sign-in (`amr`). */
  mfaAsserted: boolean;
}

export type SsoFlowErrorCode = 'sso_state_invalid' | 'sso_provider_unavailable' | 'sso_failed';

/** A sign-on step that failed; `reason` is for the audit entry (no personal data). */
export class SsoFlowError extends Error {
  constructor(
    readonly code: SsoFlowErrorCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'SsoFlowError';
  }
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string | null;
  codeChallenge: string;
}

export interface CallbackInput {
  /** The redirect URI with the query the provider sent back. */
  callbackUrl: URL;
  redirectUri: string;
  state: string;
  nonce: string | null;
  codeVerifier: string;
}

export interface SsoProvider {
  id: string;
  label: string;
  kind: SsoProviderSettings['kind'];
  /** OpenID Connect binds the ID token to the request with a nonce; GitHub has no ID token. */
  usesNonce: boolean;
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  complete(input: CallbackInput): Promise<SsoIdentity>;
}

const TIMEOUT_SECONDS = 10;
/** RFC 8176 methods that are a second factor (or say so). */
const MFA_METHODS = new Set(['mfa', 'otp', 'hwk', 'sc']);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** A network failure or timeout (the provider is down), as opposed to an answer refusing us. */
function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    if ('code' in e && typeof e.code === 'string' && /^(ECONN|ENOTFOUND|EAI_|UND_ERR)/.test(e.code))
      return true;
  }
  return false;
}

/** The ID token's nonce differs from the one this browser's request carried. */
function isNonceMismatch(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const cause: unknown = e.cause;
    if (typeof cause === 'object' && cause !== null && 'claim' in cause && cause.claim === 'nonce')
      return true;
    if (/"nonce"/.test(e.message)) return true;
  }
  return false;
}

/** Any OpenID Connect provider by discovery (Google: https://accounts.google.com). */
function oidcProvider(settings: Extract<SsoProviderSettings, { kind: 'oidc' }>): SsoProvider {
  const insecure = isLoopbackHttp(settings.issuer);
  let discovered: Promise<client.Configuration> | null = null;

  /** Discovered once and cached; a failure is not cached, so the next sign-in tries again. */
  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        {
          // The issuer's HTTPS is checked, except for a provider on this machine (tests).
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback http only
          ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
          timeout: TIMEOUT_SECONDS,
        },
      )
      .catch((error: unknown) => {
        discovered = null;
        throw new SsoFlowError('sso_provider_unavailable', `discovery: ${errorName(error)}`);
      });
    return discovered;
  }

  return {
    id: settings.id,
    label: settings.label,
    kind: 'oidc',
    usesNonce: true,
    async authorizationUrl(request) {
      const config = await configuration();
      return client.buildAuthorizationUrl(config, {
        redirect_uri: request.redirectUri,
        scope: 'openid email profile',
        state: request.state,
        ...(request.nonce === null ? {} : { nonce: request.nonce }),
        code_challenge: request.codeChallenge,
        code_challenge_method: 'S256',
      });
    },
    async complete(input) {
      const config = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(config, input.callbackUrl, {
          pkceCodeVerifier: input.codeVerifier,
          expectedState: input.state,
          ...(input.nonce === null ? { idTokenExpected: true } : { expectedNonce: input.nonce }),
        });
        const idToken = tokens.claims();
        if (idToken === undefined) throw new SsoFlowError('sso_failed', 'no ID token');
        claims = { ...idToken };
        // Many providers keep e-mail and custom claims for the userinfo endpoint.
        if (config.serverMetadata().userinfo_endpoint !== undefined) {
          const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
          claims = { ...info, ...idToken, ...pick(info, ['email', 'email_verified']) };
        }
      } catch (error) {
        throw classify(error);
      }
      const amr = Array.isArray(claims.amr) ? claims.amr : [];
      const email = text(claims.email)?.toLowerCase() ?? null;
      return {
        subject: String(claims.sub),
        email,
        emailVerified:
          email !== null && (claims.email_verified === true || claims.email_verified === 'true'),
        usernameHint: text(claims.preferred_username) ?? email,
        claims,
        mfaAsserted: amr.some((method) => typeof method === 'string' && MFA_METHODS.has(method)),
      };
    },
  };
}

/** The userinfo's own values of `keys` (those it has), to win over the ID token's. */
function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  const code = 'code' in error && typeof error.code === 'string' ? `:${error.code}` : '';
  return `${error.name}${code}`;
}

function classify(error: unknown): SsoFlowError {
  if (error instanceof SsoFlowError) return error;
  if (isNonceMismatch(error)) return new SsoFlowError('sso_state_invalid', 'nonce');
  if (isUnreachable(error)) return new SsoFlowError('sso_provider_unavailable', errorName(error));
  return new SsoFlowError('sso_failed', errorName(error));
}

/** GitHub (or GitHub Enterprise): OAuth 2 with PKCE, then its user and e-mail API. */
function githubProvider(settings: Extract<SsoProviderSettings, { kind: 'github' }>): SsoProvider {
  async function call<T>(url: string, init: RequestInit): Promise<T> {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
      headers: { 'user-agent': 'vertex-ar', ...(init.headers as Record<string, string>) },
    });
    if (!response.ok) throw new SsoFlowError('sso_failed', `github ${response.status}`);
    return (await response.json()) as T;
  }
  const api = <T>(path: string, token: string) =>
    call<T>(`${settings.apiUrl}${path}`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
      },
    });

  return {
    id: settings.id,
    label: settings.label,
    kind: 'github',
    usesNonce: false,
    authorizationUrl(request) {
      const url = new URL(`${settings.baseUrl}/login/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: request.redirectUri,
        scope: 'read:user user:email',
        state: request.state,
        code_challenge: request.codeChallenge,
        code_challenge_method: 'S256',
        allow_signup: 'false',
      }).toString();
      return Promise.resolve(url);
    },
    async complete(input) {
      const { searchParams } = input.callbackUrl;
      if (searchParams.get('error') !== null) throw new SsoFlowError('sso_failed', 'denied');
      const state = searchParams.get('state');
      if (state === null || !sameSecret(state, input.state)) {
        throw new SsoFlowError('sso_state_invalid', 'state');
      }
      const code = searchParams.get('code');
      if (code === null) throw new SsoFlowError('sso_failed', 'no code');
      try {
        const token = await call<{ access_token?: string; error?: string }>(
          `${settings.baseUrl}/login/oauth/access_token`,
          {
            method: 'POST',
            headers: {
              accept: 'application/json',
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({
              client_id: settings.clientId,
              client_secret: settings.clientSecret,
              code,
              redirect_uri: input.redirectUri,
              code_verifier: input.codeVerifier,
            }).toString(),
          },
        );
        if (typeof token.access_token !== 'string') {
          throw new SsoFlowError('sso_failed', `token: ${token.error ?? 'none'}`);
        }
        const user = await api<{ id?: unknown; login?: unknown }>('/user', token.access_token);
        const emails = await api<{ email?: unknown; primary?: unknown; verified?: unknown }[]>(
          '/user/emails',
          token.access_token,
        );
        if (typeof user.id !== 'number' && typeof user.id !== 'string') {
          throw new SsoFlowError('sso_failed', 'no user id');
        }
        const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true) : undefined;
        const email = text(primary?.email)?.toLowerCase() ?? null;
        return {
          subject: String(user.id),
          email,
          emailVerified: email !== null && primary?.verified === true,
          usernameHint: text(user.login) ?? email,
          claims: { ...user },
          // GitHub says nothing about how the person signed in.
          mfaAsserted: false,
        };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

/** The configured providers, by id. */
export function createSsoProviders(settings: SsoProviderSettings[]): Map<string, SsoProvider> {
  return new Map(
    settings.map((p) => [p.id, p.kind === 'oidc' ? oidcProvider(p) : githubProvider(p)]),
  );
}
