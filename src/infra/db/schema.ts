/**
 * Table types as the application sees them (camelCase; the CamelCasePlugin maps them to the
 * snake_case columns the migrations create). Timestamps are UTC ISO-8601 strings on both
 * dialects: TEXT in SQLite, `timestamptz` parsed back to ISO text in PostgreSQL.
 */
import type { ColumnType, Generated } from 'kysely';

export type Role = 'admin' | 'operator';
export type UserLocale = 'ru' | 'en';

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  passwordHash: string;
  role: Role;
  disabledAt: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
  /** The admin app's language the person chose; null: not chosen (migration 0015). */
  locale: UserLocale | null;
  /** 1: signs in through a provider only, the password login refuses (migration 0019). */
  passwordLoginDisabled: ColumnType<number, number | undefined, number>;
}

/** An account's identity at a single sign-on provider (migration 0019). */
export interface SsoLinksTable {
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
  linkedAt: string;
  lastLoginAt: string | null;
}

export interface SessionsTable {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  ip: string | null;
  userAgent: string | null;
  /** 1: the session may only enrol a second factor (`REQUIRE_2FA`, migration 0018). */
  enrolmentOnly: ColumnType<number, number | undefined, number>;
}

/** Two-factor state of an account (migration 0018); secrets are AES-256-GCM ciphertexts. */
export interface UserTwoFactorTable {
  userId: string;
  totpSecret: string | null;
  /** An enrolment started but not yet confirmed with a code. */
  totpPendingSecret: string | null;
  totpEnabledAt: string | null;
  /** The last accepted TOTP time step: a code for it or an earlier one is refused. */
  totpLastStep: number | null;
  updatedAt: string;
}

export interface TwoFactorBackupCodesTable {
  id: string;
  userId: string;
  /** Keyed hash (HMAC-SHA-256, hex) of the normalised code. */
  codeHash: string;
  createdAt: string;
  usedAt: string | null;
}

/** The second step of a sign-in; `id` is the SHA-256 of the token the client holds. */
export interface LoginChallengesTable {
  id: string;
  userId: string;
  /** Keyed hash of the first step's IP and user agent. */
  clientHash: string;
  /** JSON of the first step's `SignInVia`. */
  firstFactor: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface TwoFactorEmailCodesTable {
  id: string;
  userId: string;
  /** The challenge's id the code was sent for (rate limit per challenge). */
  challengeId: string;
  codeHash: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** The key's visible start (`vxk_` and a few characters), shown in lists. */
  prefix: string;
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  keyHash: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
}

/** Failed-login counters per (account, IP); ip `*` is the account's count from every IP. */
export interface LoginFailuresTable {
  id: string;
  /** The user id, or `unknown:<keyed hash>` of a typed name that names no user. */
  accountKey: string;
  userId: string | null;
  ip: string;
  failures: number;
  windowStartedAt: string;
  lastFailureAt: string;
  lockedUntil: string | null;
}

export interface AuditLogTable {
  /** Insertion order, used for the hash chain. */
  seq: Generated<number>;
  id: string;
  at: string;
  actorUserId: string | null;
  actorIp: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** JSON text. */
  details: string | null;
  prevHash: string | null;
  hash: string;
}

export type ProcessingStatus = 'processing' | 'ready' | 'failed';

export interface ClientsTable {
  id: string;
  name: string;
  /** Normalised (see `normalisePhone`), unique per installation. */
  phone: string;
  email: string | null;
  /** `foldForSearch(name)` for search (migration 0004); NULL when written without it. */
  nameFolded: ColumnType<string | null, string | null | undefined, string | null>;
  /** The studio's note (migration 0014); NULL when there is none. */
  notes: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: string;
  updatedAt: string;
}

export interface PortraitsTable {
  id: string;
  clientId: string;
  slug: string;
  status: ProcessingStatus;
  error: string | null;
  originalKey: string;
  originalFormat: string;
  originalSize: number;
  width: number;
  height: number;
  imagesReadyAt: string | null;
  /** Why the display copy / thumbnails could not be made (the portrait then failed). */
  imagesError: string | null;
  /** Version of the current marker (0 = none yet). */
  markerVersion: number;
  /** Which photo of the portrait this is (1 = the order's; +1 per replacement, migration 0016). */
  imageVersion: ColumnType<number, number | undefined, number>;
  viewCount: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

export interface MarkersTable {
  id: string;
  portraitId: string;
  version: number;
  status: ProcessingStatus;
  errorCode: string | null;
  error: string | null;
  width: number | null;
  height: number | null;
  dpi: number | null;
  widthMm: number | null;
  heightMm: number | null;
  trackingPoints: number | null;
  freakPoints: number | null;
  qualityScore: number | null;
  /** JSON array of strings. */
  qualityAdvice: string | null;
  /** 1/0 (portable boolean). */
  selfTestFound: number | null;
  selfTestCornerErrorPx: number | null;
  /** JSON object: file sizes, timings. */
  metrics: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VideosTable {
  id: string;
  portraitId: string;
  status: ProcessingStatus;
  error: string | null;
  /** 1 for the portrait's active video, null otherwise; a unique index allows one 1 per portrait. */
  active: 1 | null;
  originalKey: string;
  originalFormat: string;
  originalSize: number;
  playableKey: string | null;
  posterKey: string | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  sizeBytes: number | null;
  /** 1 when the upload had to be transcoded, 0 when it was served as uploaded (remuxed at most). */
  transcoded: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrdersTable {
  id: string;
  number: string;
  clientId: string;
  portraitId: string;
  createdBy: string | null;
  createdAt: string;
  /** The studio's note (migration 0014); NULL when there is none. */
  notes: ColumnType<string | null, string | null | undefined, string | null>;
}

/** `Idempotency-Key`s of `POST /api/orders` (migration 0017), per user. */
export interface OrderIdempotencyKeysTable {
  userId: string;
  key: string;
  fingerprint: string;
  orderId: string;
  /** The 202 answer's JSON. */
  response: string;
  createdAt: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: string;
  key: string;
  kind: string;
  /** The portrait, video or client the job works on (null only for rows from before 0006). */
  entityId: string | null;
  /** JSON. */
  payload: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAfter: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  progress: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StudioAssetsTable {
  /** What the file is to the studio: `logo`. */
  name: string;
  storageKey: string;
  contentType: string;
  /** Hex SHA-256 of the stored bytes. */
  etag: string;
  width: number;
  height: number;
  sizeBytes: number;
  updatedBy: string | null;
  updatedAt: string;
}

export type BackupRunKind = 'create' | 'verify';
export type BackupRunTrigger = 'schedule' | 'manual';
export type BackupRunStatus = 'running' | 'succeeded' | 'failed';

/** One backup create/verify job and its result (migration 0010). */
export interface BackupRunsTable {
  id: string;
  kind: BackupRunKind;
  trigger: BackupRunTrigger;
  backupId: string | null;
  status: BackupRunStatus;
  /** `queued`, then the service's phase (`database`, `objects`, `manifest`) or `verify`. */
  phase: string | null;
  done: number;
  total: number;
  bytes: number | null;
  objects: number | null;
  copied: number | null;
  error: string | null;
  requestedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** ISO time of the schedule slot; unique (the multi-instance lease). */
  slot: string | null;
}

export interface DB {
  users: UsersTable;
  ssoLinks: SsoLinksTable;
  sessions: SessionsTable;
  userTwoFactor: UserTwoFactorTable;
  twoFactorBackupCodes: TwoFactorBackupCodesTable;
  loginChallenges: LoginChallengesTable;
  twoFactorEmailCodes: TwoFactorEmailCodesTable;
  loginFailures: LoginFailuresTable;
  apiKeys: ApiKeysTable;
  auditLog: AuditLogTable;
  clients: ClientsTable;
  portraits: PortraitsTable;
  markers: MarkersTable;
  videos: VideosTable;
  orders: OrdersTable;
  orderIdempotencyKeys: OrderIdempotencyKeysTable;
  counters: CountersTable;
  jobs: JobsTable;
  studioAssets: StudioAssetsTable;
  backupRuns: BackupRunsTable;
}
