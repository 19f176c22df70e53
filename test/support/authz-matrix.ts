/**
 * Who may call each route: the one place the authorization matrix test
 * (test/api/authz-matrix.int.test.ts) takes its expectations from. Every route of the OpenAPI
 * document needs an entry here and every entry a route, so a new route cannot ship without a
 * decision about who may call it.
 */

/**
 * - `public`: anyone, credentials or not (and a bad or expired token changes nothing);
 * - `operator`: any signed-in user (operators and admins);
 * - `admin`: admins only; operators get 403 `forbidden`.
 */
export type Access = 'public' | 'operator' | 'admin';

/** Values the matrix can put into a path parameter: ids of the fixture order, or a literal. */
export type FixtureName =
  'portraitId' | 'clientId' | 'orderId' | 'videoId' | 'slug' | 'operatorUserId';
export type ParamValue = FixtureName | `=${string}`;

export interface RouteAccess {
  access: Access;
  /**
   * What each path parameter is filled with; a parameter not named here gets a random UUID,
   * i.e. "no such thing" (the answer is then a 404 or a 400, never a change to a fixture).
   */
  params?: Readonly<Record<string, ParamValue>>;
  /**
   * The exact answer(s) of an allowed call as the matrix makes it (no body or `{}` for unsafe
   * methods). Unset: anything but 401/403 and 5xx.
   */
  allowed?: readonly number[];
  /**
   * API keys: `refused` = never with an API key, whatever its role (403 `api_key_not_allowed`:
   * what only a person should do). Unset: as a session of the key's role.
   */
  apiKeys?: 'refused';
  /** Why, where it is a decision rather than the obvious. */
  note?: string;
}

/**
 * The route table, keyed `METHOD /path` as in the OpenAPI document; 16-hex-digit content hashes
 * in asset paths are written `{hash}` (they change with every build).
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  // ---- health, version --------------------------------------------------------------------
  'GET /health': { access: 'public', allowed: [200] },
  'GET /ready': { access: 'public', allowed: [200, 503] },
  'GET /version': { access: 'public', allowed: [200] },

  // ---- auth -------------------------------------------------------------------------------
  'POST /api/auth/login': { access: 'public', allowed: [400] },
  'POST /api/auth/logout': { access: 'operator', apiKeys: 'refused', allowed: [204] },
  'GET /api/auth/me': { access: 'operator', apiKeys: 'refused', allowed: [200] },
  'POST /api/auth/password': {
    access: 'operator',
    apiKeys: 'refused',
    allowed: [400],
    note: 'own password only (the current one is required); admins reset others via /api/users',
  },
  'GET /api/auth/sessions': { access: 'operator', apiKeys: 'refused', allowed: [200] },
  'DELETE /api/auth/sessions/{id}': {
    access: 'operator',
    apiKeys: 'refused',
    allowed: [404],
    note: "own sessions; another user's is a 404 for operators (admins may close any)",
  },
  'POST /api/auth/sessions/revoke-others': {
    access: 'operator',
    apiKeys: 'refused',
    allowed: [200, 204],
  },
  'GET /api/auth/lockouts': { access: 'admin', apiKeys: 'refused', allowed: [200] },
  'DELETE /api/auth/lockouts/{id}': { access: 'admin', apiKeys: 'refused', allowed: [404] },
  'PUT /api/auth/me/locale': {
    access: 'operator',
    apiKeys: 'refused',
    allowed: [400],
    note: 'own account only: the language of the admin app',
  },
  'POST /api/auth/login/2fa': {
    access: 'public',
    allowed: [400],
    note: 'the second sign-in step: the challenge from the login answer is the credential',
  },
  'POST /api/auth/login/2fa/email': { access: 'public', allowed: [400] },
  'GET /api/auth/2fa': { access: 'operator', apiKeys: 'refused', allowed: [200] },
  'POST /api/auth/2fa/totp/setup': {
    access: 'operator',
    apiKeys: 'refused',
    allowed: [200],
    note: 'own account only; a pending secret changes nothing until it is confirmed',
  },
  'POST /api/auth/2fa/totp/confirm': { access: 'operator', apiKeys: 'refused', allowed: [400] },
  'POST /api/auth/2fa/totp/disable': { access: 'operator', apiKeys: 'refused', allowed: [400] },
  'POST /api/auth/2fa/backup-codes': { access: 'operator', apiKeys: 'refused', allowed: [400] },
  'GET /api/auth/sso/providers': {
    access: 'public',
    allowed: [200],
    note: 'the login page shows the sign-on buttons before anyone signs in',
  },
  'GET /api/auth/sso/{provider}/start': {
    access: 'public',
    params: { provider: '=nope' },
    allowed: [404],
    note: 'single sign-on starts before any session: the provider is the credential check',
  },
  'GET /api/auth/sso/{provider}/callback': {
    access: 'public',
    params: { provider: '=nope' },
    allowed: [404],
    note: 'the provider redirects the browser here; the sealed vertex_sso cookie binds it',
  },
  'POST /api/account/sso/{provider}/link': {
    access: 'operator',
    apiKeys: 'refused',
    params: { provider: '=nope' },
    allowed: [404],
    note: 'own account only: links an identity the person proves at the provider',
  },
  'GET /api/account/sso-links': { access: 'operator', apiKeys: 'refused', allowed: [200] },
  'DELETE /api/account/sso-links/{provider}': {
    access: 'operator',
    apiKeys: 'refused',
    params: { provider: '=nope' },
    allowed: [404],
  },
  'PUT /api/account/password-login': {
    access: 'operator',
    apiKeys: 'refused',
    allowed: [400],
    note: 'own account only',
  },
  'GET /api/locale': {
    access: 'public',
    allowed: [200],
    note: 'the login page needs a language before anyone signs in',
  },

  // ---- API keys (a person manages them; a key's role never exceeds its creator's) ---------
  'POST /api/api-keys': { access: 'operator', apiKeys: 'refused', allowed: [400] },
  'GET /api/api-keys': { access: 'operator', apiKeys: 'refused', allowed: [200] },
  'DELETE /api/api-keys/{id}': { access: 'operator', apiKeys: 'refused', allowed: [404] },

  // ---- users (admin) ----------------------------------------------------------------------
  'GET /api/users': { access: 'admin', apiKeys: 'refused', allowed: [200] },
  'POST /api/users': { access: 'admin', apiKeys: 'refused', allowed: [400] },
  'PATCH /api/users/{id}': { access: 'admin', apiKeys: 'refused' },
  'POST /api/users/{id}/password': { access: 'admin', apiKeys: 'refused' },
  'GET /api/users/{id}/sessions': {
    access: 'admin',
    apiKeys: 'refused',
    params: { id: 'operatorUserId' },
    allowed: [200],
  },
  'DELETE /api/users/{id}/sessions/{sessionId}': {
    access: 'admin',
    apiKeys: 'refused',
    params: { id: 'operatorUserId' },
    allowed: [404],
  },
  'DELETE /api/users/{id}/2fa': {
    access: 'admin',
    apiKeys: 'refused',
    allowed: [404],
    note: 'after checking who the person is out of band (a lost phone)',
  },

  // ---- studio workflow (operators) --------------------------------------------------------
  'GET /api/orders': { access: 'operator', allowed: [200] },
  'POST /api/orders': { access: 'operator' },
  'GET /api/orders/{id}': { access: 'operator', params: { id: 'orderId' }, allowed: [200] },
  'GET /api/orders/export.csv': { access: 'operator', allowed: [200] },
  'PUT /api/orders/{id}/notes': { access: 'operator' },
  'GET /api/portraits': { access: 'operator', allowed: [200] },
  'GET /api/portraits/{id}': { access: 'operator', params: { id: 'portraitId' }, allowed: [200] },
  'DELETE /api/portraits/{id}': {
    access: 'admin',
    allowed: [404],
    note: 'deletes are admin-only (README); removes the public page',
  },
  'POST /api/portraits/{id}/marker/regenerate': { access: 'operator', allowed: [404] },
  'PUT /api/portraits/{id}/image': {
    access: 'operator',
    note: 'like a new order: a new photo for the same link (the old one is kept until it is ready)',
  },
  'GET /api/portraits/{id}/qr.{format}': {
    access: 'operator',
    params: { id: 'portraitId', format: '=png' },
    allowed: [200],
  },
  'GET /api/portraits/{id}/print.pdf': {
    access: 'operator',
    params: { id: 'portraitId' },
    allowed: [409],
    note: 'the fixture portrait has no marker yet: refused with marker_not_ready',
  },
  'POST /api/portraits/{id}/send-link': {
    access: 'operator',
    allowed: [404],
    note: 'like printing: e-mails the public link to the client (the matrix app has no SMTP)',
  },
  'GET /api/clients': { access: 'operator', allowed: [200] },
  'GET /api/clients/collisions': { access: 'operator', allowed: [200] },
  'GET /api/clients/export.csv': { access: 'operator', allowed: [200] },
  'PUT /api/clients/{id}/notes': { access: 'operator' },
  'GET /api/clients/{id}': { access: 'operator', params: { id: 'clientId' }, allowed: [200] },
  'POST /api/clients/{id}/merge': {
    access: 'operator',
    allowed: [400],
    note: 'like an edit: nothing is lost, the portraits and orders move to the other client',
  },
  'PATCH /api/clients/{id}': { access: 'operator' },
  'DELETE /api/clients/{id}': {
    access: 'admin',
    allowed: [404],
    note: 'deletes are admin-only (README)',
  },
  'POST /api/portraits/{id}/videos': { access: 'operator' },
  'GET /api/portraits/{id}/videos': {
    access: 'operator',
    params: { id: 'portraitId' },
    allowed: [200],
  },
  'POST /api/videos/{id}/activate': { access: 'operator', allowed: [404] },
  'DELETE /api/videos/{id}': {
    access: 'admin',
    allowed: [404],
    note: 'deletes are admin-only (README), the active video included; operators replace it',
  },

  // ---- analytics, dashboard, system -------------------------------------------------------
  'GET /api/analytics/portraits/{id}': {
    access: 'operator',
    params: { id: 'portraitId' },
    allowed: [200],
  },
  'GET /api/analytics/summary': { access: 'operator', allowed: [200] },
  'GET /api/analytics/top-portraits': { access: 'operator', allowed: [200] },
  'GET /api/analytics/export.csv': { access: 'operator', allowed: [200] },
  'GET /api/dashboard': { access: 'operator', allowed: [200] },
  'GET /api/system/info': { access: 'operator', allowed: [200] },
  'GET /api/system/status': { access: 'admin', allowed: [200] },
  'GET /metrics': {
    access: 'public',
    allowed: [200],
    note:
      'no user access: METRICS_TOKEN or METRICS_ALLOW, loopback by default (the matrix calls ' +
      'from 127.0.0.1); its protection is tested in test/api/metrics.int.test.ts',
  },

  // ---- studio logo ------------------------------------------------------------------------
  'GET /api/studio/logo': { access: 'operator', allowed: [200] },
  'PUT /api/studio/logo': { access: 'admin' },
  'DELETE /api/studio/logo': { access: 'admin', allowed: [204] },

  // ---- backups (admin: the whole installation; restore stays a CLI action) ---------------
  'GET /api/backups': { access: 'admin', allowed: [200] },
  'POST /api/backups': {
    access: 'admin',
    allowed: [409],
    note: 'the matrix app has no BACKUP_PASSPHRASE: 409 backup_not_configured',
  },
  'GET /api/backups/runs/{runId}': { access: 'admin', allowed: [404] },
  'POST /api/backups/{id}/verify': { access: 'admin', allowed: [400] },
  'GET /api/backups/{id}/archive': {
    access: 'admin',
    apiKeys: 'refused',
    allowed: [400],
    note: 'a download of every row and object (still encrypted): a person, not a key',
  },
  'GET /api/backups/metrics': {
    access: 'admin',
    allowed: [200],
    note: 'Prometheus scrapes it with an admin API key',
  },

  // ---- audit log (admin: read and check, never change; an admin key may monitor it) -------
  'GET /api/audit': { access: 'admin', allowed: [200] },
  'GET /api/audit/verify': { access: 'admin', allowed: [200] },

  // ---- public media and pages (no secrets: unguessable ids, no personal data) -------------
  'GET /media/videos/{id}/video.mp4': { access: 'public', allowed: [404] },
  'GET /media/videos/{id}/poster.jpg': { access: 'public', allowed: [404] },
  'GET /media/portraits/{id}/display.{format}': {
    access: 'public',
    params: { format: '=jpg' },
    allowed: [404],
  },
  'GET /media/portraits/{id}/thumb-{size}.{format}': {
    access: 'public',
    params: { size: '=320', format: '=jpg' },
    allowed: [404],
  },
  'GET /media/studio/logo.png': { access: 'public', allowed: [404] },
  'GET /static/vendor/aframe-1.8.0.min.js': { access: 'public', allowed: [200] },
  'GET /static/vendor/aframe-ar-nft-3.4.8-{hash}.js': { access: 'public', allowed: [200] },
  'GET /static/vendor/camera_para-{hash}.dat': { access: 'public', allowed: [200] },
  'GET /static/viewer/{hash}/ar-host.js': { access: 'public', allowed: [200] },
  'GET /static/viewer/{hash}/viewer.js': { access: 'public', allowed: [200] },
  'GET /static/viewer/{hash}/viewer.css': { access: 'public', allowed: [200] },
  'GET /static/camera/v1/{file}': {
    access: 'public',
    params: { file: '=640x480.dat' },
    allowed: [200],
  },
  'GET /p/{slug}': { access: 'public', params: { slug: 'slug' }, allowed: [200] },
  'POST /p/{slug}/events': { access: 'public', params: { slug: 'slug' }, allowed: [400] },
  'GET /markers/{portraitId}/{version}/{file}': {
    access: 'public',
    params: { version: '=1', file: '=marker.iset' },
    allowed: [404],
  },
  'GET /admin': { access: 'public' },
  'GET /admin/assets/{*}': { access: 'public', allowed: [404] },
  'GET /admin/{*}': { access: 'public' },
};

/** The table key of a document route: content hashes in asset paths become `{hash}`. */
export function routeKey(method: string, documentPath: string): string {
  return `${method.toUpperCase()} ${documentPath.replace(/(?<![0-9a-f])[0-9a-f]{16}(?![0-9a-f])/g, '{hash}')}`;
}

/** The callers of the matrix: its columns. */
export const CALLERS = [
  'anonymous',
  'expiredSession',
  'operator',
  'admin',
  'operatorApiKey',
  'adminApiKey',
  'cookieWithoutCsrf',
] as const;
export type Caller = (typeof CALLERS)[number];

export type Expected =
  { kind: 'allowed' } | { kind: 'refused'; status: 401 | 403; code: string | readonly string[] };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const unauthenticated: Expected = { kind: 'refused', status: 401, code: 'unauthenticated' };
const forbidden: Expected = { kind: 'refused', status: 403, code: 'forbidden' };
const keyRefused: Expected = { kind: 'refused', status: 403, code: 'api_key_not_allowed' };
const allowed: Expected = { kind: 'allowed' };

/** The expected answer of one cell, derived from the route's entry alone. */
export function expectedAnswer(rule: RouteAccess, caller: Caller, method: string): Expected {
  if (rule.access === 'public') return allowed;
  switch (caller) {
    case 'anonymous':
      return unauthenticated;
    case 'expiredSession':
      return { kind: 'refused', status: 401, code: ['session_expired', 'invalid_token'] };
    case 'operator':
      return rule.access === 'admin' ? forbidden : allowed;
    case 'admin':
      return allowed;
    // The guard refuses a key on a person-only route before it looks at the role.
    case 'operatorApiKey':
      if (rule.apiKeys === 'refused') return keyRefused;
      return rule.access === 'admin' ? forbidden : allowed;
    case 'adminApiKey':
      return rule.apiKeys === 'refused' ? keyRefused : allowed;
    case 'cookieWithoutCsrf':
      // An admin's browser session: only the missing CSRF header can refuse it.
      return SAFE.has(method.toUpperCase())
        ? allowed
        : { kind: 'refused', status: 403, code: 'csrf_failed' };
  }
}
