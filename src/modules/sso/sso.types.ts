/** A configured single sign-on provider (`OIDC_*`, `GITHUB_*`; see docs/security.md). */
export type SsoProviderSettings =
  | {
      kind: 'oidc';
      /** Lower-case name in URLs: `/api/auth/sso/{id}/callback`. */
      id: string;
      label: string;
      /** The discovery base: `{issuer}/.well-known/openid-configuration`. */
      issuer: string;
      clientId: string;
      clientSecret: string;
    }
  | {
      kind: 'github';
      id: 'github';
      label: string;
      clientId: string;
      clientSecret: string;
      /** `GITHUB_BASE_URL`: where `/login/oauth/authorize` and `/access_token` live. */
      baseUrl: string;
      /** `GITHUB_API_URL`: where `/user` and `/user/emails` live. */
      apiUrl: string;
    };

export interface SsoSettings {
  providers: SsoProviderSettings[];
  /** `OIDC_AUTO_CREATE`: a first sign-in with no matching account creates one. */
  autoCreate: boolean;
  /** `OIDC_ROLE_CLAIM`: the claim naming `admin` (string or array); unset: no role mapping. */
  roleClaim: string | undefined;
}

/**
 * Plain HTTP on this machine: the only place a provider may be reached without TLS (a
 * provider run locally, the tests). Config refuses any other `http:` URL.
 */
export function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return (
    parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
  );
}
