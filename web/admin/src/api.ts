/**
 * The typed client of the Vertex AR API (`/api`, same origin). The SPA authenticates with the
 * httpOnly session cookie; unsafe requests carry the CSRF token, which lives only in memory
 * (after a reload it comes back from `GET /api/auth/me`). Errors are `ApiError`s built from
 * the server's `{ error: { code, message, details? } }`.
 */
import type { components, paths } from './api-types.gen';

// ---------------------------------------------------------------------------------------------
// Contract types: generated from the OpenAPI document (`npm run openapi`), named here for pages

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends HttpMethod> = NonNullable<paths[P][M]>;
/** The methods a path has (the others are `?: never` in the generated types). */
type MethodOf<P extends keyof paths> = {
  [M in HttpMethod]: [Operation<P, M>] extends [never] ? never : M;
}[HttpMethod];
type Responses<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { responses: infer R } ? R : never;
type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/**
 * The JSON body of a route's answer with the given status. The constraints make a wrong path,
 * method or status a type error instead of a silent `never`.
 */
type ResponseOf<
  P extends keyof paths,
  M extends MethodOf<P>,
  S extends keyof Responses<P, M>,
> = JsonContent<Responses<P, M>[S]>;

/** The JSON request body of a route. */
type RequestOf<P extends keyof paths, M extends MethodOf<P>> =
  Operation<P, M> extends { requestBody?: infer Body } ? JsonContent<NonNullable<Body>> : never;

/** The query parameters of a route, all optional (the server fills in defaults). */
type QueryOf<P extends keyof paths, M extends MethodOf<P>> = Operation<P, M>['parameters'] extends {
  query?: infer Query;
}
  ? Partial<NonNullable<Query>>
  : never;

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];
export type PortraitDetail = Schemas['PortraitDetail'];
export type ProcessingStatus = PortraitDetail['status'];
export type Marker = NonNullable<PortraitDetail['marker']>;
export type ActiveVideo = NonNullable<PortraitDetail['activeVideo']>;

/** The login's session answer (without the two-factor challenge, once the types have it). */
export type LoginResult = Exclude<
  ResponseOf<'/api/auth/login', 'post', 200>,
  { twoFactorRequired: true }
>;
export type Me = ResponseOf<'/api/auth/me', 'get', 200>;

export type OrderAccepted = ResponseOf<'/api/orders', 'post', 202>;
export type OrderPage = ResponseOf<'/api/orders', 'get', 200>;
export type OrderSummary = OrderPage['items'][number];
export type OrderDetail = ResponseOf<'/api/orders/{id}', 'get', 200>;

export type PortraitSummary = ResponseOf<'/api/portraits', 'get', 200>['items'][number];
export type Video = ResponseOf<'/api/portraits/{id}/videos', 'get', 200>['items'][number];
export type VideoAccepted = ResponseOf<'/api/portraits/{id}/videos', 'post', 202>;

export type ClientPage = ResponseOf<'/api/clients', 'get', 200>;
export type Client = ClientPage['items'][number];
export type ClientDetail = ResponseOf<'/api/clients/{id}', 'get', 200>;
export type ClientPatch = RequestOf<'/api/clients/{id}', 'patch'>;
/** Clients sharing a phone number since the phone migration, per number. */
export type PhoneCollisions = ResponseOf<'/api/clients/collisions', 'get', 200>;
export type Notes = ResponseOf<'/api/orders/{id}/notes', 'put', 200>;
export type SendLinkRequest = RequestOf<'/api/portraits/{id}/send-link', 'post'>;
export type LinkSent = ResponseOf<'/api/portraits/{id}/send-link', 'post', 200>;

export type Analytics = ResponseOf<'/api/analytics/summary', 'get', 200>;
export type AnalyticsCounts = Analytics['totals'];
export type AnalyticsDay = Analytics['days'][number];
export type AnalyticsBucket = Analytics['buckets'][number];
export type AnalyticsFunnel = Analytics['funnel'];
export type TopPortraits = ResponseOf<'/api/analytics/top-portraits', 'get', 200>;
/** `days` ending today, or `from`–`to` (UTC days); bars per day or per ISO week. */
export interface AnalyticsRange {
  days?: number;
  from?: string;
  to?: string;
  granularity?: 'day' | 'week';
}
export type Dashboard = ResponseOf<'/api/dashboard', 'get', 200>;
export type SystemInfo = ResponseOf<'/api/system/info', 'get', 200>;
export type SystemStatus = ResponseOf<'/api/system/status', 'get', 200>;
export type StudioLogo = NonNullable<ResponseOf<'/api/studio/logo', 'get', 200>['logo']>;

export type NewUser = RequestOf<'/api/users', 'post'>;
export type Lockout = ResponseOf<'/api/auth/lockouts', 'get', 200>['items'][number];
export type ApiKey = ResponseOf<'/api/api-keys', 'get', 200>['items'][number];
export type CreatedApiKey = ResponseOf<'/api/api-keys', 'post', 201>;
export type NewApiKey = RequestOf<'/api/api-keys', 'post'>;
export type SessionInfo = ResponseOf<'/api/auth/sessions', 'get', 200>['items'][number];
export type UserPatch = RequestOf<'/api/users/{id}', 'patch'>;
export type BackupOverview = ResponseOf<'/api/backups', 'get', 200>;
export type BackupItem = BackupOverview['items'][number];
export type BackupRun = ResponseOf<'/api/backups/runs/{runId}', 'get', 200>;
export type AuditPage = ResponseOf<'/api/audit', 'get', 200>;
export type AuditEntry = AuditPage['items'][number];
export type AuditVerifyResult = ResponseOf<'/api/audit/verify', 'get', 200>;

// Two-factor sign-in and single sign-on (issue 13). Written by hand from the contract until the
// OpenAPI document (and `api-types.gen.ts`) has these routes; the generated names replace them.

export type SecondFactorMethod = 'totp' | 'backup_code' | 'email';
/** The login answer when a second factor is needed: no session yet, a challenge to complete. */
export interface TwoFactorChallenge {
  twoFactorRequired: true;
  challenge: string;
  methods: SecondFactorMethod[];
  expiresAt: string;
}
/** A session; `enrolmentRequired`: the studio's policy needs two-factor set up before anything else. */
export type SignedIn = LoginResult;
export type LoginAnswer = SignedIn | TwoFactorChallenge;
export const needsSecondFactor = (answer: LoginAnswer): answer is TwoFactorChallenge =>
  'twoFactorRequired' in answer && answer.twoFactorRequired;
/** Exactly one: a code from the app, a backup code or a code sent by e-mail. */
export type SecondFactorProof = { code: string } | { backupCode: string } | { emailCode: string };
export interface EmailCodeSent {
  sentTo: string;
  expiresAt: string;
}
export interface TwoFactorStatus {
  totpEnabled: boolean;
  backupCodesRemaining: number;
  emailAvailable: boolean;
  required: boolean;
  enrolmentRequired: boolean;
}
export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}
export interface BackupCodes {
  backupCodes: string[];
}
export interface SsoProvider {
  id: string;
  label: string;
  kind: 'oidc' | 'github';
}
export interface SsoLink {
  provider: string;
  label: string;
  email: string | null;
  linkedAt: string;
}
export interface SsoLinks {
  links: SsoLink[];
  passwordLoginEnabled: boolean;
}
/** A user in the admin's list, with whether two-factor sign-in is on. */
export type ListedUser = User & { twoFactorEnabled?: boolean };

// ---------------------------------------------------------------------------------------------
// Errors

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The session is gone (expired, revoked, never existed): the user must log in again. */
  get isUnauthenticated(): boolean {
    return this.status === 401 && this.code !== 'invalid_credentials';
  }

  /** Per-field problems: `{field, message}` from the services, `{path}` from schema checks. */
  get fieldProblems(): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const add = (item: unknown) => {
      if (typeof item !== 'object' || item === null) return;
      const record = item as Record<string, unknown>;
      const message = typeof record.message === 'string' ? record.message : 'invalid value';
      if (typeof record.field === 'string') {
        problems.push({ field: record.field, message });
      } else if (typeof record.path === 'string' && record.path !== '') {
        problems.push({ field: record.path.replace(/^\//, '').split('/')[0] ?? '', message });
      }
    };
    if (Array.isArray(this.details)) this.details.forEach(add);
    else add(this.details);
    return problems;
  }
}

/** A network failure (server down, connection lost) as an ApiError, so callers handle one type. */
const networkError = () =>
  new ApiError(0, 'network_error', 'The server cannot be reached. Check the connection.');

function parseError(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
    };
    const error = body.error;
    if (error !== undefined && typeof error.code === 'string') {
      return new ApiError(
        status,
        error.code,
        typeof error.message === 'string' ? error.message : error.code,
        error.details,
      );
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(status, `http_${status}`, `The server answered ${status}.`);
}

// ---------------------------------------------------------------------------------------------
// Transport

let csrfToken: string | null = null;
let unauthenticatedHandler: ((error: ApiError) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called for every 401 that means "log in again" (not for a wrong password at login). */
export function onUnauthenticated(handler: ((error: ApiError) => void) | null): void {
  unauthenticatedHandler = handler;
}

let enrolmentHandler: (() => void) | null = null;

/**
 * Called when the server refuses a request until two-factor sign-in is set up (the studio's
 * policy, `REQUIRE_2FA`): the app then shows only the set-up.
 */
export function onEnrolmentRequired(handler: (() => void) | null): void {
  enrolmentHandler = handler;
}

function report(error: ApiError): ApiError {
  if (error.isUnauthenticated) unauthenticatedHandler?.(error);
  if (error.status === 403 && error.code === 'two_factor_enrolment_required') enrolmentHandler?.();
  return error;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Login and the start-up `me` check handle their own 401s. */
  quiet401?: boolean;
}

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
}

/** How long a 429 asks us to wait (`Retry-After` seconds), at most 30 s. */
const retryAfterMs = (response: Response): number =>
  Math.min(30, Math.max(1, Number(response.headers.get('retry-after')) || 1)) * 1000;

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (response.status === 429 && method === 'GET') {
    // Over the per-user budget (polling in several tabs): a read waits as asked and tries once
    // more instead of showing an error; a change is reported, so nothing is sent twice.
    await new Promise((resolve) => window.setTimeout(resolve, retryAfterMs(response)));
    response = await send(method, path, options);
  }
  if (response.status === 403 && method !== 'GET') {
    // A stale CSRF token (e.g. the session was renewed in another tab): fetch it once, retry.
    const error = parseError(403, await response.text());
    if (error.code !== 'csrf_failed') throw options.quiet401 === true ? error : report(error);
    const me = await request<Me>('GET', '/api/auth/me');
    setCsrfToken(me.csrfToken);
    response = await send(method, path, options);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!response.ok) {
    const error = parseError(response.status, text);
    throw options.quiet401 === true ? error : report(error);
  }
  return (text === '' ? undefined : (JSON.parse(text) as unknown)) as T;
}

const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

const id = (value: string) => encodeURIComponent(value);

// ---------------------------------------------------------------------------------------------
// Uploads with real progress (XMLHttpRequest reports bytes sent; fetch cannot)

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface Upload<T> {
  done: Promise<T>;
  abort: () => void;
}

export function upload<T>(
  path: string,
  form: FormData,
  onProgress: (progress: UploadProgress) => void,
  method: 'POST' | 'PUT' = 'POST',
  headers: Readonly<Record<string, string>> = {},
): Upload<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open(method, path);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (csrfToken !== null) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(JSON.parse(xhr.responseText) as T);
      } else {
        reject(report(parseError(xhr.status, xhr.responseText)));
      }
    };
    xhr.onerror = () => {
      // A server that refuses the request early (e.g. the session ended) may close the
      // connection mid-upload: ask whether the session is still alive before blaming the network.
      request<Me>('GET', '/api/auth/me').then(
        () => {
          reject(networkError());
        },
        (error: unknown) => {
          reject(error instanceof ApiError ? error : networkError());
        },
      );
    };
    xhr.onabort = () => {
      reject(new DOMException('upload cancelled', 'AbortError'));
    };
    xhr.send(form);
  });
  return {
    done,
    abort: () => {
      xhr.abort();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Routes

/** `GET /api/orders` filters; an empty status (the form's "all") is left out of the query. */
export type OrderListQuery = Omit<QueryOf<'/api/orders', 'get'>, 'status'> & {
  status?: ProcessingStatus | '';
};
export type ClientListQuery = QueryOf<'/api/clients', 'get'>;
export type AuditListQuery = QueryOf<'/api/audit', 'get'>;

export interface NewOrder {
  clientName: string;
  clientPhone: string;
  clientEmail: string;
  portrait: File;
  video: File;
}

export const api = {
  login: (username: string, password: string) =>
    request<LoginAnswer>('POST', '/api/auth/login', {
      body: { username, password },
      quiet401: true,
    }),
  me: (signal?: AbortSignal) =>
    request<Me>('GET', '/api/auth/me', {
      quiet401: true,
      ...(signal ? { signal } : {}),
    }),
  /** The second step of a login (after the password or single sign-on). */
  completeSecondFactor: (challenge: string, proof: SecondFactorProof) =>
    request<SignedIn>('POST', '/api/auth/login/2fa', {
      body: { challenge, ...proof },
      quiet401: true,
    }),
  sendEmailCode: (challenge: string) =>
    request<EmailCodeSent>('POST', '/api/auth/login/2fa/email', {
      body: { challenge },
      quiet401: true,
    }),
  twoFactorStatus: (signal?: AbortSignal) =>
    request<TwoFactorStatus>('GET', '/api/auth/2fa', signal ? { signal } : {}),
  setUpTotp: () => request<TotpSetup>('POST', '/api/auth/2fa/totp/setup'),
  confirmTotp: (code: string) =>
    request<BackupCodes>('POST', '/api/auth/2fa/totp/confirm', { body: { code } }),
  /** `password` null: the account has no password login (single sign-on only), the code alone. */
  disableTotp: (password: string | null, code: string) =>
    request<undefined>('POST', '/api/auth/2fa/totp/disable', {
      body: password === null ? { code } : { password, code },
    }),
  regenerateBackupCodes: (code: string) =>
    request<BackupCodes>('POST', '/api/auth/2fa/backup-codes', { body: { code } }),
  resetUserTwoFactor: (userId: string) =>
    request<undefined>('DELETE', `/api/users/${id(userId)}/2fa`),

  /** The single sign-on providers configured (public: the login page shows them). */
  ssoProviders: (signal?: AbortSignal) =>
    request<{ providers: SsoProvider[] }>('GET', '/api/auth/sso/providers', {
      quiet401: true,
      ...(signal ? { signal } : {}),
    }),
  /** Where the browser goes to sign in with a provider (a redirect to it). */
  ssoStartUrl: (provider: string) => `/api/auth/sso/${id(provider)}/start`,
  /** Starts linking a provider to the signed-in account: the URL to send the browser to. */
  linkSso: (provider: string) =>
    request<{ url: string }>('POST', `/api/account/sso/${id(provider)}/link`),
  ssoLinks: (signal?: AbortSignal) =>
    request<SsoLinks>('GET', '/api/account/sso-links', signal ? { signal } : {}),
  unlinkSso: (provider: string) =>
    request<undefined>('DELETE', `/api/account/sso-links/${id(provider)}`),
  setPasswordLogin: (enabled: boolean) =>
    request<undefined>('PUT', '/api/account/password-login', { body: { enabled } }),
  /** The language for the login page: the browser's `Accept-Language`, else `DEFAULT_LOCALE`. */
  locale: () => request<ResponseOf<'/api/locale', 'get', 200>>('GET', '/api/locale'),
  /** Saves the admin app's language on the signed-in account (null forgets it). */
  saveLocale: (locale: 'ru' | 'en' | null) =>
    request<ResponseOf<'/api/auth/me/locale', 'put', 200>>('PUT', '/api/auth/me/locale', {
      body: { locale },
    }),
  logout: () => request<undefined>('POST', '/api/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<undefined>('POST', '/api/auth/password', { body: { currentPassword, newPassword } }),
  listSessions: (signal?: AbortSignal) =>
    request<ResponseOf<'/api/auth/sessions', 'get', 200>>(
      'GET',
      '/api/auth/sessions',
      signal ? { signal } : {},
    ),
  revokeSession: (sessionId: string) =>
    request<undefined>('DELETE', `/api/auth/sessions/${id(sessionId)}`),
  revokeOtherSessions: () =>
    request<ResponseOf<'/api/auth/sessions/revoke-others', 'post', 200>>(
      'POST',
      '/api/auth/sessions/revoke-others',
    ),

  listApiKeys: (signal?: AbortSignal) =>
    request<ResponseOf<'/api/api-keys', 'get', 200>>(
      'GET',
      '/api/api-keys',
      signal ? { signal } : {},
    ),
  createApiKey: (key: NewApiKey) => request<CreatedApiKey>('POST', '/api/api-keys', { body: key }),
  revokeApiKey: (keyId: string) => request<undefined>('DELETE', `/api/api-keys/${id(keyId)}`),

  listBackups: (signal?: AbortSignal) =>
    request<BackupOverview>('GET', '/api/backups', signal ? { signal } : {}),
  createBackup: () => request<BackupRun>('POST', '/api/backups'),
  verifyBackup: (backupId: string) =>
    request<BackupRun>('POST', `/api/backups/${id(backupId)}/verify`),
  backupRun: (runId: string, signal?: AbortSignal) =>
    request<BackupRun>('GET', `/api/backups/runs/${id(runId)}`, signal ? { signal } : {}),
  /** A plain link: the browser downloads it with the session cookie. */
  backupArchiveUrl: (backupId: string) => `/api/backups/${id(backupId)}/archive`,

  listAudit: (params: AuditListQuery, signal?: AbortSignal) =>
    request<AuditPage>('GET', `/api/audit${query({ ...params })}`, signal ? { signal } : {}),
  verifyAudit: () => request<AuditVerifyResult>('GET', '/api/audit/verify'),

  dashboard: (signal?: AbortSignal) =>
    request<Dashboard>('GET', '/api/dashboard', signal ? { signal } : {}),
  analyticsSummary: (range: AnalyticsRange, signal?: AbortSignal) =>
    request<Analytics>(
      'GET',
      `/api/analytics/summary${query({ ...range })}`,
      signal ? { signal } : {},
    ),
  portraitAnalytics: (portraitId: string, range: AnalyticsRange, signal?: AbortSignal) =>
    request<Analytics>(
      'GET',
      `/api/analytics/portraits/${id(portraitId)}${query({ ...range })}`,
      signal ? { signal } : {},
    ),
  topPortraits: (range: AnalyticsRange & { limit?: number }, signal?: AbortSignal) =>
    request<TopPortraits>(
      'GET',
      `/api/analytics/top-portraits${query({ days: range.days, from: range.from, to: range.to, limit: range.limit })}`,
      signal ? { signal } : {},
    ),

  /** With an `idempotencyKey` (bulk orders), sending the same order again creates nothing. */
  createOrder(
    order: NewOrder,
    onProgress: (progress: UploadProgress) => void,
    idempotencyKey?: string,
  ) {
    const form = new FormData();
    form.append('clientName', order.clientName);
    form.append('clientPhone', order.clientPhone);
    if (order.clientEmail.trim() !== '') form.append('clientEmail', order.clientEmail.trim());
    // Files last: the server checks the fields before streaming the big parts.
    form.append('portrait', order.portrait);
    form.append('video', order.video);
    const headers: Record<string, string> =
      idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey };
    return upload<OrderAccepted>('/api/orders', form, onProgress, 'POST', headers);
  },
  listOrders: (params: OrderListQuery, signal?: AbortSignal) =>
    request<OrderPage>('GET', `/api/orders${query({ ...params })}`, signal ? { signal } : {}),
  getOrder: (orderId: string, signal?: AbortSignal) =>
    request<OrderDetail>('GET', `/api/orders/${id(orderId)}`, signal ? { signal } : {}),
  /** Sets the order's note (null clears it); answers the note as stored. */
  setOrderNotes: (orderId: string, notes: string | null) =>
    request<Notes>('PUT', `/api/orders/${id(orderId)}/notes`, { body: { notes } }),

  getPortrait: (portraitId: string, signal?: AbortSignal) =>
    request<PortraitDetail>('GET', `/api/portraits/${id(portraitId)}`, signal ? { signal } : {}),
  deletePortrait: (portraitId: string) =>
    request<undefined>('DELETE', `/api/portraits/${id(portraitId)}`),
  /** E-mails the public link to the client (or `email`); 409 while SMTP is not set up. */
  sendLink: (portraitId: string, body: SendLinkRequest) =>
    request<LinkSent>('POST', `/api/portraits/${id(portraitId)}/send-link`, { body }),
  /** A new photo for the portrait (`PUT /api/portraits/{id}/image`); the link and QR stay. */
  replacePortraitImage(
    portraitId: string,
    file: File,
    onProgress: (progress: UploadProgress) => void,
  ) {
    const form = new FormData();
    form.append('portrait', file);
    return upload<PortraitDetail>(
      `/api/portraits/${id(portraitId)}/image`,
      form,
      onProgress,
      'PUT',
    );
  },
  regenerateMarker: (portraitId: string) =>
    request<ResponseOf<'/api/portraits/{id}/marker/regenerate', 'post', 202>>(
      'POST',
      `/api/portraits/${id(portraitId)}/marker/regenerate`,
    ),
  qrUrl: (portraitId: string, format: 'png' | 'svg') =>
    `/api/portraits/${id(portraitId)}/qr.${format}`,
  /** The print-ready PDF (`GET /api/portraits/{id}/print.pdf`); a link, sent with the cookie. */
  printPdfUrl: (
    portraitId: string,
    options: { format: string; widthMm?: number; heightMm?: number; lang: 'ru' | 'en' },
  ) => {
    const query = new URLSearchParams({ format: options.format, lang: options.lang });
    if (options.widthMm !== undefined) query.set('widthMm', String(options.widthMm));
    if (options.heightMm !== undefined) query.set('heightMm', String(options.heightMm));
    return `/api/portraits/${id(portraitId)}/print.pdf?${query.toString()}`;
  },
  /** `imageVersion` of a replaced photo names it in the URL (its files are cached for good). */
  displayImageUrl: (portraitId: string, imageVersion = 1) =>
    `/media/portraits/${id(portraitId)}/display.jpg${imageVersion > 1 ? `?v=${imageVersion}` : ''}`,
  thumbnailUrl: (portraitId: string) => `/media/portraits/${id(portraitId)}/thumb-320.webp`,

  listVideos: (portraitId: string, signal?: AbortSignal) =>
    request<ResponseOf<'/api/portraits/{id}/videos', 'get', 200>>(
      'GET',
      `/api/portraits/${id(portraitId)}/videos`,
      signal ? { signal } : {},
    ),
  addVideo(portraitId: string, file: File, onProgress: (progress: UploadProgress) => void) {
    const form = new FormData();
    form.append('video', file);
    return upload<VideoAccepted>(`/api/portraits/${id(portraitId)}/videos`, form, onProgress);
  },
  activateVideo: (videoId: string) =>
    request<ResponseOf<'/api/videos/{id}/activate', 'post', 200>>(
      'POST',
      `/api/videos/${id(videoId)}/activate`,
    ),
  deleteVideo: (videoId: string) => request<undefined>('DELETE', `/api/videos/${id(videoId)}`),

  listClients: (params: ClientListQuery, signal?: AbortSignal) =>
    request<ClientPage>('GET', `/api/clients${query({ ...params })}`, signal ? { signal } : {}),
  getClient: (clientId: string, signal?: AbortSignal) =>
    request<ClientDetail>('GET', `/api/clients/${id(clientId)}`, signal ? { signal } : {}),
  updateClient: (clientId: string, patch: ClientPatch) =>
    request<ResponseOf<'/api/clients/{id}', 'patch', 200>>(
      'PATCH',
      `/api/clients/${id(clientId)}`,
      {
        body: patch,
      },
    ),
  deleteClient: (clientId: string) => request<undefined>('DELETE', `/api/clients/${id(clientId)}`),
  clientCollisions: (signal?: AbortSignal) =>
    request<PhoneCollisions>('GET', '/api/clients/collisions', signal ? { signal } : {}),
  mergeClient: (clientId: string, intoId: string) =>
    request<ClientDetail>('POST', `/api/clients/${id(clientId)}/merge`, { body: { intoId } }),
  setClientNotes: (clientId: string, notes: string | null) =>
    request<Notes>('PUT', `/api/clients/${id(clientId)}/notes`, { body: { notes } }),

  systemInfo: (signal?: AbortSignal) =>
    request<SystemInfo>('GET', '/api/system/info', signal ? { signal } : {}),
  systemStatus: (signal?: AbortSignal) =>
    request<SystemStatus>('GET', '/api/system/status', signal ? { signal } : {}),

  studioLogo: (signal?: AbortSignal) =>
    request<ResponseOf<'/api/studio/logo', 'get', 200>>(
      'GET',
      '/api/studio/logo',
      signal ? { signal } : {},
    ),
  uploadStudioLogo(file: File, onProgress: (progress: UploadProgress) => void) {
    const form = new FormData();
    form.append('logo', file);
    return upload<ResponseOf<'/api/studio/logo', 'put', 200>>(
      '/api/studio/logo',
      form,
      onProgress,
      'PUT',
    );
  },
  removeStudioLogo: () => request<undefined>('DELETE', '/api/studio/logo'),

  listUsers: (signal?: AbortSignal) =>
    request<{ items: ListedUser[] }>('GET', '/api/users', signal ? { signal } : {}),
  createUser: (user: NewUser) =>
    request<ResponseOf<'/api/users', 'post', 201>>('POST', '/api/users', { body: user }),
  updateUser: (userId: string, patch: UserPatch) =>
    request<ResponseOf<'/api/users/{id}', 'patch', 200>>('PATCH', `/api/users/${id(userId)}`, {
      body: patch,
    }),
  resetUserPassword: (userId: string, password: string) =>
    request<undefined>('POST', `/api/users/${id(userId)}/password`, { body: { password } }),

  listLockouts: (signal?: AbortSignal) =>
    request<ResponseOf<'/api/auth/lockouts', 'get', 200>>(
      'GET',
      '/api/auth/lockouts',
      signal ? { signal } : {},
    ),
  unlockLockout: (lockoutId: string) =>
    request<undefined>('DELETE', `/api/auth/lockouts/${id(lockoutId)}`),
};

/**
 * Media URLs from the API are same-origin paths; anything else (another origin, `javascript:`)
 * is refused, so a bad value can never leave the admin origin or run script.
 */
export function sameOriginPath(url: string | null | undefined): string | null {
  if (url === null || url === undefined || url === '') return null;
  try {
    const parsed = new URL(url, window.location.origin);
    if (parsed.origin !== window.location.origin) return null;
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return null;
  }
}

/** A public page link is shown only when it is plain http(s). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
