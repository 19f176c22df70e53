import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { S3StorageOptions, StorageConfig } from './infra/storage/index.js';
import type { LockoutSettings } from './modules/auth/lockout.service.js';
import { checkedSchedule } from './modules/backup/backup-schedule.js';
import { parseRateLimitRule, type RateLimitRule } from './http/rate-limit-rule.js';
import { VIEWER_LOCALES, type ViewerLocale } from './modules/viewer/viewer.i18n.js';
import { isStudioContactUrl, isStudioLogoUrl } from './modules/viewer/viewer.page.js';
import type { StudioBranding } from './modules/viewer/viewer.types.js';
import type { ErrorReportingSettings } from './infra/error-reporting/index.js';
import type { MailSettings } from './infra/mail/index.js';
import {
  isLoopbackHttp,
  type SsoProviderSettings,
  type SsoSettings,
} from './modules/sso/sso.types.js';
import { versionInfo } from './version.js';
import { isPhoneRegion, type PhoneRegion } from './shared/phone.js';

/**
 * The only module that reads `process.env`. Every setting is parsed and validated here once;
 * a wrong value stops start-up with a message naming the variable (all problems at once).
 * Secrets may also come from a file named by `<NAME>_FILE` (Docker/Kubernetes secrets).
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Log files besides stdout (docs/operations.md, "Logs"), and what the logs may show. */
export interface LogSettings {
  /** Every line also goes to this file, rotated; unset: stdout only. */
  file: string | undefined;
  /** Warnings and errors also go to this file, rotated the same way. */
  errorFile: string | undefined;
  /** A file is rotated when it reaches this size, and at midnight (server time). */
  maxSizeBytes: number;
  /** Rotated files kept besides the one being written (older ones are deleted). */
  retention: number;
  /** Client addresses only as their network: IPv4 /24, IPv6 /48. */
  maskIp: boolean;
}
export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string; poolMax: number };

export interface Config {
  /** The non-secret variables this installation sets (a backup keeps them; never secrets). */
  settings: Record<string, string>;
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  publicBaseUrl: string;
  trustProxy: boolean | string;
  database: DatabaseConfig;
  storage: StorageConfig;
  /** `undefined` means: generate one and persist it in `DATA_DIR` (see `session-secret.ts`). */
  sessionSecret: string | undefined;
  sessionTimeoutMinutes: number;
  sessionMaxHours: number;
  bcryptCost: number;
  /** Failed-login lockout per (account, client IP) and the per-account ceiling. */
  lockout: LockoutSettings;
  /** `REQUIRE_2FA`: who must have a second factor (others may). */
  requireTwoFactor: 'admins' | 'all' | 'none';
  /** Bound on concurrent bcrypt work (it shares libuv's thread pool with file I/O). */
  passwordHashing: { concurrency: number; queueLimit: number };
  admin: { username: string | undefined; password: string | undefined };
  logLevel: LogLevel;
  logging: LogSettings;
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Slow-client guards: whole-request deadline and the body's minimum data rate. */
  requestLimits: RequestLimits;
  media: MediaLimits;
  jobs: JobSettings;
  viewer: ViewerSettings;
  rateLimit: RateLimitSettings;
  /** Shared state of several instances (rate-limit counters); `url` unset: in memory. */
  redis: { url: string | undefined; keyPrefix: string };
  backup: BackupSettings;
  /** Error reporting to Sentry; `undefined` (Sentry not started) while `SENTRY_DSN` is unset. */
  sentry: ErrorReportingSettings | undefined;
  metrics: MetricsSettings;
  /** How a phone number typed without `+` is read (`DEFAULT_PHONE_REGION`). */
  phoneRegion: PhoneRegion;
  /** Outgoing e-mail (`SMTP_URL`, `MAIL_FROM`); `undefined`: no e-mail is sent. */
  mail: MailSettings | undefined;
  /** Single sign-on: OpenID Connect providers and GitHub (issue 13). */
  sso: SsoSettings;
}

/** Who may read `/metrics`, and where it is served. */
export interface MetricsSettings {
  /** Scrapers send `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** Addresses allowed without the token (CIDRs); loopback only when nothing is configured. */
  allow: string[];
  /** Its own port on HOST (the main port then has no `/metrics`); unset: the main port. */
  port: number | undefined;
}

/** `vertex-ar backup …`: where backups go and how they are encrypted (docs/backup-restore.md). */
export interface BackupSettings {
  /** Local destination; unused when `s3` is set. */
  dir: string;
  /** An S3-compatible bucket for off-site backups, separate from the media bucket. */
  s3: (S3StorageOptions & { prefix: string }) | undefined;
  /** `none` only when the operator chose plain backups explicitly. */
  encryption: 'age' | 'none';
  /** Unset: `backup create` refuses (unless `encryption` is `none`). */
  passphrase: string | undefined;
  /** Extra age X25519 recipients (`age1…`) every file is also encrypted to (an offline key). */
  recipients: string[];
  /** Retention for `backup prune`: a backup is kept when any rule keeps it. */
  keep: RetentionPolicy;
  /** Cron expression (`0 3 * * *`) for backups taken by the server itself; unset: none. */
  schedule: string | undefined;
}

/** Unset rules keep nothing on their own; with no rule set at all, prune keeps everything. */
export interface RetentionPolicy {
  /** The newest N complete backups. */
  last: number | undefined;
  /** Every complete backup younger than N days. */
  days: number | undefined;
  /** The newest backup of each of the last N days / ISO weeks / months (UTC). */
  daily: number | undefined;
  weekly: number | undefined;
  monthly: number | undefined;
}

/** Request budgets per client (IP, or user/API key once authenticated). */
export interface RateLimitSettings {
  enabled: boolean;
  /** Unauthenticated credential routes (login). */
  auth: RateLimitRule;
  /** Multipart upload routes. */
  upload: RateLimitRule;
  /** Every `/api/*` route. */
  global: RateLimitRule;
  /** The public AR page, its events, media, markers and viewer assets. */
  public: RateLimitRule;
}

/** The buyer's public page `/p/{slug}`. */
export interface ViewerSettings {
  /** Language when neither `?lang=` nor the browser's `Accept-Language` picks a supported one. */
  defaultLocale: ViewerLocale;
  /** Named on the page instead of the client (the page is public). */
  studio: StudioBranding;
}

export interface RequestLimits {
  /** The whole request (headers and body) must arrive within this (Node `requestTimeout`). */
  requestTimeoutSeconds: number;
  /** A body slower than this, measured over `bodyRateWindowSeconds`, is cut off (408). */
  bodyMinBytesPerSecond: number;
  bodyRateWindowSeconds: number;
}

export interface MediaLimits {
  maxImageBytes: number;
  maxVideoBytes: number;
  /** Decompression-bomb guard: width × height of an uploaded image. */
  maxImagePixels: number;
  minImageSidePx: number;
  maxVideoSeconds: number;
}

export interface JobSettings {
  /** Run the job worker inside `serve` (the embedded default); false for API-only instances. */
  inProcess: boolean;
  leaseSeconds: number;
  pollMs: number;
  markerTimeoutSeconds: number;
  videoTimeoutSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Names of variables that may be given as `<NAME>_FILE` instead. */
const SECRET_VARIABLES = [
  'SESSION_SECRET',
  'ADMIN_PASSWORD',
  'DATABASE_URL',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'REDIS_URL',
  'BACKUP_PASSPHRASE',
  'BACKUP_S3_ACCESS_KEY_ID',
  'BACKUP_S3_SECRET_ACCESS_KEY',
  'SENTRY_DSN',
  'METRICS_TOKEN',
  'SMTP_URL',
  'GITHUB_CLIENT_SECRET',
  // Holds the providers' client secrets.
  'OIDC_PROVIDERS',
] as const;

/** A secret: never kept in `settings`, and may come from `<NAME>_FILE`. */
const isSecret = (name: string): boolean =>
  (SECRET_VARIABLES as readonly string[]).includes(name) || /^OIDC_\w+_CLIENT_SECRET$/.test(name);

class EnvReader {
  readonly problems: string[] = [];
  /** Every non-secret variable read and set, for the backup manifest. */
  readonly settings: Record<string, string> = {};

  constructor(private readonly env: Env) {}

  /** Raw value, or `undefined` when unset or empty. Resolves `<NAME>_FILE` for secrets. */
  raw(name: string): string | undefined {
    const direct = nonEmpty(this.env[name]);
    const fileName = isSecret(name) ? nonEmpty(this.env[`${name}_FILE`]) : undefined;
    if (direct !== undefined && fileName !== undefined) {
      this.problems.push(`${name} and ${name}_FILE are both set: use one`);
      return direct;
    }
    if (fileName === undefined) {
      if (direct !== undefined && !isSecret(name)) {
        this.settings[name] = direct;
      }
      return direct;
    }
    try {
      return nonEmpty(readFileSync(fileName, 'utf8').replace(/\r?\n$/, ''));
    } catch (error) {
      this.problems.push(`${name}_FILE: cannot read ${fileName} (${(error as Error).message})`);
      return undefined;
    }
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** Names of the variables set that match `pattern` (`OIDC_<NAME>_ISSUER`). */
  namesMatching(pattern: RegExp): string[] {
    return Object.keys(this.env).filter((name) => pattern.test(name));
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    return this.raw(name) === undefined ? undefined : this.int(name, min, min, max);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false, got "${value}"`);
    return fallback;
  }

  rateLimit(name: string, fallback: string): RateLimitRule {
    const value = this.string(name, fallback);
    const rule = parseRateLimitRule(value);
    if (rule !== null) return rule;
    this.problems.push(
      `${name} must be N/period with period second, minute or hour (e.g. ${fallback}), got "${value}"`,
    );
    return parseRateLimitRule(fallback) ?? { max: 1, windowMs: 60_000 };
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    const value = this.string(name, fallback);
    this.checkUrl(name, value, protocols);
    return value;
  }

  /** Validates a value already read (reading it again would repeat `_FILE` problems). */
  checkUrl(name: string, value: string, protocols: readonly string[]): void {
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      this.problems.push(
        `${name} must be a ${protocols.join(' or ')} URL, got "${redactUrl(value)}"`,
      );
    }
  }
}

/** `DEFAULT_PHONE_REGION`, upper-cased (`ru` is `RU`): a region libphonenumber has rules for. */
function phoneRegion(read: EnvReader): PhoneRegion {
  const value = read.string('DEFAULT_PHONE_REGION', 'RU').trim().toUpperCase();
  if (isPhoneRegion(value)) return value;
  read.problems.push(
    `DEFAULT_PHONE_REGION must be a two-letter country code (ISO 3166-1) with known phone numbering, e.g. RU, KZ, DE, got "${value}"`,
  );
  return 'RU';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Hides a password inside a URL, so a config error never prints a secret. Errs on the side of
 * hiding too much: the value may be malformed, and a password may hold a raw `@`.
 */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/?#@]*):.*@/, '//$1:***@').replace(/(password=)[^&\s]*/gi, '$1***');
}

const MB = 1024 * 1024;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const STUDIO_NAME_MAX = 100;

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/** `BACKUP_RECIPIENTS`: age public keys separated by commas or spaces. */
function backupRecipients(read: EnvReader): string[] {
  const recipients = (read.raw('BACKUP_RECIPIENTS') ?? '').split(/[\s,]+/).filter((r) => r !== '');
  for (const recipient of recipients) {
    if (!AGE_RECIPIENT.test(recipient)) {
      read.problems.push(
        `BACKUP_RECIPIENTS must be age X25519 public keys (age1…), got "${recipient.slice(0, 12)}…"`,
      );
    }
  }
  return recipients;
}

/** `BACKUP_S3_*`: set `BACKUP_S3_BUCKET` to back up into a bucket instead of `BACKUP_DIR`. */
const LOOPBACK = ['127.0.0.1/32', '::1/128'];

function metricsSettings(read: EnvReader): MetricsSettings {
  const token = read.raw('METRICS_TOKEN');
  if (token !== undefined && token.length < 16) {
    read.problems.push('METRICS_TOKEN must be at least 16 characters');
  }
  const allowRaw = read.raw('METRICS_ALLOW');
  const allow = (allowRaw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of allow) {
    if (!isCidr(entry)) {
      read.problems.push(`METRICS_ALLOW entries must be CIDRs like 10.0.0.0/8, got "${entry}"`);
    }
  }
  return {
    token,
    // With a token set and no list, only the token opens it; with neither, loopback does.
    allow: allowRaw !== undefined ? allow : token === undefined ? LOOPBACK : [],
    port: read.optionalInt('METRICS_PORT', 1, 65535),
  };
}

function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (address === undefined || bits === undefined || rest.length > 0 || !/^\d{1,3}$/.test(bits))
    return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function backupS3(read: EnvReader): BackupSettings['s3'] {
  const bucket = read.raw('BACKUP_S3_BUCKET');
  if (bucket === undefined) return undefined;
  const endpoint = read.raw('BACKUP_S3_ENDPOINT');
  if (endpoint !== undefined) read.checkUrl('BACKUP_S3_ENDPOINT', endpoint, ['http:', 'https:']);
  const prefix = read.string('BACKUP_S3_PREFIX', '').replace(/^\/+|\/+$/g, '');
  if (
    prefix !== '' &&
    !/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/.test(prefix)
  ) {
    read.problems.push(
      `BACKUP_S3_PREFIX must be slash-separated names like backups/studio, got "${prefix}"`,
    );
  }
  return {
    endpoint,
    region: read.string('BACKUP_S3_REGION', 'us-east-1'),
    bucket,
    accessKeyId: read.raw('BACKUP_S3_ACCESS_KEY_ID'),
    secretAccessKey: read.raw('BACKUP_S3_SECRET_ACCESS_KEY'),
    forcePathStyle: read.bool('BACKUP_S3_FORCE_PATH_STYLE', endpoint !== undefined),
    prefix,
  };
}

const LOG_SIZE_UNITS = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as const;
/** Characters pino-roll refuses in a log file path (it keeps paths valid on Windows too). */
const LOG_PATH_FORBIDDEN = /[<>:"|?*\0]/;

/** `LOG_FILE`, `LOG_ERROR_FILE`, `LOG_MAX_SIZE`, `LOG_RETENTION`, `LOG_MASK_IP`. */
function logSettings(read: EnvReader): LogSettings {
  const logFile = (name: string): string | undefined => {
    const value = read.raw(name);
    if (value === undefined) return undefined;
    if (LOG_PATH_FORBIDDEN.test(value) || /[/\\]$/.test(value)) {
      read.problems.push(
        `${name} must be a file path (not a folder) without < > : " | ? *, got "${value}"`,
      );
    }
    return path.resolve(value);
  };
  const file = logFile('LOG_FILE');
  const errorFile = logFile('LOG_ERROR_FILE');
  if (file !== undefined && file === errorFile) {
    read.problems.push('LOG_ERROR_FILE must be another file than LOG_FILE');
  }
  const size = read.string('LOG_MAX_SIZE', '10m').trim();
  const match = /^(\d{1,6})([kmg])$/.exec(size.toLowerCase());
  const bytes = match ? Number(match[1]) * LOG_SIZE_UNITS[match[2] as 'k' | 'm' | 'g'] : 0;
  const sizeOk = bytes >= LOG_SIZE_UNITS.k && bytes <= 100 * LOG_SIZE_UNITS.g;
  if (!sizeOk) {
    read.problems.push(
      `LOG_MAX_SIZE must be a whole number with k, m or g from 1k to 100g (e.g. 10m), got "${size}"`,
    );
  }
  return {
    file,
    errorFile,
    maxSizeBytes: sizeOk ? bytes : 10 * LOG_SIZE_UNITS.m,
    retention: read.int('LOG_RETENTION', 7, 1, 1000),
    // On by default: the conventions allow no personal data in logs beyond ids (the audit
    // log keeps the full address of each sign-in event, for security reviews).
    maskIp: read.bool('LOG_MASK_IP', true),
  };
}

/** A Sentry DSN: `https://<public key>@<host>[/<path>]/<numeric project id>`. */
function isSentryDsn(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      ['http:', 'https:'].includes(url.protocol) &&
      /^\w+$/.test(url.username) &&
      /^\/(.+\/)?\d+$/.test(url.pathname)
    );
  } catch {
    return false;
  }
}

/** `Name <address>` or a bare address, as `MAIL_FROM` may be written. */
const MAIL_FROM = /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
const MAIL_TIMEOUT_MS = 15_000;

/** `SMTP_URL` and `MAIL_FROM`: e-mail is off while `SMTP_URL` is unset. */
function mailSettings(read: EnvReader): MailSettings | undefined {
  const smtpUrl = read.raw('SMTP_URL');
  const from = read.raw('MAIL_FROM')?.trim();
  if (smtpUrl === undefined) return undefined;
  // The URL holds the password: `checkUrl` prints it redacted.
  read.checkUrl('SMTP_URL', smtpUrl, ['smtp:', 'smtps:']);
  if (from === undefined) {
    read.problems.push(
      'MAIL_FROM is required when SMTP_URL is set (e.g. Studio <noreply@studio.example>)',
    );
  } else if (!MAIL_FROM.test(from)) {
    read.problems.push(
      `MAIL_FROM must be an address or Name <address>, e.g. Studio <noreply@studio.example>, got "${from}"`,
    );
  }
  return { smtpUrl, from: from ?? '', timeoutMs: MAIL_TIMEOUT_MS };
}

/** A share from 0 to 1, such as `0.25`. */
function fraction(read: EnvReader, name: string, fallback: number): number {
  const value = read.raw(name)?.trim();
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(value) || parsed > 1) {
    read.problems.push(`${name} must be a number from 0 to 1, got "${value}"`);
    return fallback;
  }
  return parsed;
}

/** `SENTRY_*`: error reporting, off (the SDK not even loaded) while `SENTRY_DSN` is unset. */
function sentrySettings(read: EnvReader, nodeEnv: string): ErrorReportingSettings | undefined {
  const dsn = read.raw('SENTRY_DSN');
  // The DSN holds the project's key: never echoed.
  if (dsn !== undefined && !isSentryDsn(dsn)) {
    read.problems.push('SENTRY_DSN must be a DSN like https://<key>@<host>/<project id>');
  }
  // Sentry refuses these names with spaces or slashes.
  const environment = read.string('SENTRY_ENVIRONMENT', nodeEnv).trim();
  if (!/^[^\s/]{1,64}$/.test(environment)) {
    read.problems.push(
      `SENTRY_ENVIRONMENT must be 1 to 64 characters without spaces or "/", got "${environment}"`,
    );
  }
  const release = read.string('SENTRY_RELEASE', `vertex-ar@${versionInfo.version}`).trim();
  if (!/^[^\s/\\]{1,200}$/.test(release) || release === '.' || release === '..') {
    read.problems.push(
      `SENTRY_RELEASE must be 1 to 200 characters without spaces, "/" or "\\", got "${release}"`,
    );
  }
  const sampleRate = fraction(read, 'SENTRY_SAMPLE_RATE', 1);
  const tracesSampleRate = fraction(read, 'SENTRY_TRACES_SAMPLE_RATE', 0);
  return dsn === undefined
    ? undefined
    : { dsn, environment, release, sampleRate, tracesSampleRate };
}

const SSO_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const ROLE_CLAIM = /^[A-Za-z0-9_:./-]{1,200}$/;

/** An issuer URL: HTTPS, or plain HTTP on a loopback address only (a provider run locally). */
function checkIssuer(read: EnvReader, name: string, value: string): void {
  try {
    if (new URL(value).protocol === 'https:' || isLoopbackHttp(value)) return;
  } catch {
    // reported below
  }
  read.problems.push(
    `${name} must be an https: URL (http: only on a loopback address), got "${redactUrl(value)}"`,
  );
}

/** `OIDC_PROVIDERS` (JSON), `OIDC_<NAME>_*`, `GITHUB_*`, `OIDC_AUTO_CREATE`, `OIDC_ROLE_CLAIM`. */
function ssoSettings(read: EnvReader): SsoSettings {
  const providers: SsoProviderSettings[] = [];
  const add = (source: string, provider: SsoProviderSettings) => {
    if (!SSO_NAME.test(provider.id)) {
      read.problems.push(
        `${source}: the provider name must be 1-32 lower-case letters, digits or dashes, got "${provider.id}"`,
      );
    } else if (providers.some((p) => p.id === provider.id)) {
      read.problems.push(`${source}: the provider name "${provider.id}" is used twice`);
    } else if (provider.kind === 'oidc' && provider.id === 'github') {
      read.problems.push(`${source}: the provider name "github" is kept for GITHUB_CLIENT_ID`);
    }
    providers.push(provider);
  };

  const json = read.raw('OIDC_PROVIDERS');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
    }
    const entries = Array.isArray(parsed) ? (parsed as unknown[]) : null;
    if (entries === null) {
      read.problems.push(
        'OIDC_PROVIDERS must be a JSON array like [{"name":"google","issuer":"https://accounts.google.com","clientId":"…","clientSecret":"…"}]',
      );
    }
    (entries ?? []).forEach((entry, index) => {
      const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
        string,
        unknown
      >;
      const text = (key: string) =>
        typeof item[key] === 'string' && item[key].trim() !== '' ? item[key].trim() : undefined;
      const [name, issuer, clientId, clientSecret] = [
        text('name'),
        text('issuer'),
        text('clientId'),
        text('clientSecret'),
      ];
      if (
        name === undefined ||
        issuer === undefined ||
        clientId === undefined ||
        clientSecret === undefined
      ) {
        read.problems.push(
          `OIDC_PROVIDERS[${index}] needs the strings name, issuer, clientId and clientSecret (label is optional)`,
        );
        return;
      }
      checkIssuer(read, `OIDC_PROVIDERS[${index}].issuer`, issuer);
      add(`OIDC_PROVIDERS[${index}]`, {
        kind: 'oidc',
        id: name.toLowerCase(),
        label: text('label') ?? name,
        issuer,
        clientId,
        clientSecret,
      });
    });
  }

  for (const variable of read.namesMatching(/^OIDC_[A-Z0-9_]+_ISSUER$/).sort()) {
    const prefix = variable.slice(0, -'_ISSUER'.length);
    const issuer = read.raw(variable);
    if (issuer === undefined) continue;
    const clientId = read.raw(`${prefix}_CLIENT_ID`);
    const clientSecret = read.raw(`${prefix}_CLIENT_SECRET`);
    if (clientId === undefined || clientSecret === undefined) {
      read.problems.push(
        `${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET are required with ${variable}`,
      );
      continue;
    }
    checkIssuer(read, variable, issuer);
    const name = prefix.slice('OIDC_'.length).toLowerCase().replace(/_/g, '-');
    add(variable, {
      kind: 'oidc',
      id: name,
      label: read.raw(`${prefix}_LABEL`)?.trim() ?? name,
      issuer,
      clientId,
      clientSecret,
    });
  }

  const githubId = read.raw('GITHUB_CLIENT_ID');
  const githubSecret = read.raw('GITHUB_CLIENT_SECRET');
  if ((githubId === undefined) !== (githubSecret === undefined)) {
    read.problems.push('GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together');
  }
  const githubBase = read
    .url('GITHUB_BASE_URL', 'https://github.com', ['https:', 'http:'])
    .replace(/\/+$/, '');
  const githubApi = read
    .url('GITHUB_API_URL', 'https://api.github.com', ['https:', 'http:'])
    .replace(/\/+$/, '');
  if (githubId !== undefined && githubSecret !== undefined) {
    checkIssuer(read, 'GITHUB_BASE_URL', githubBase);
    checkIssuer(read, 'GITHUB_API_URL', githubApi);
    add('GITHUB_CLIENT_ID', {
      kind: 'github',
      id: 'github',
      label: 'GitHub',
      clientId: githubId,
      clientSecret: githubSecret,
      baseUrl: githubBase,
      apiUrl: githubApi,
    });
  }

  const roleClaim = read.raw('OIDC_ROLE_CLAIM')?.trim();
  if (roleClaim !== undefined && !ROLE_CLAIM.test(roleClaim)) {
    read.problems.push(
      `OIDC_ROLE_CLAIM must be a claim name such as roles or groups, got "${roleClaim.slice(0, 40)}"`,
    );
  }
  return { providers, autoCreate: read.bool('OIDC_AUTO_CREATE', false), roleClaim };
}

export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'production');
  const port = read.int('PORT', 8080, 0, 65535);
  const host = read.string('HOST', '0.0.0.0');
  const dataDir = path.resolve(read.string('DATA_DIR', './data'));
  const publicBaseUrl = read
    .url('PUBLIC_BASE_URL', `http://localhost:${port}`, ['http:', 'https:'])
    .replace(/\/+$/, '');

  const trustProxyRaw = read.raw('TRUST_PROXY');
  const trustProxy =
    trustProxyRaw === undefined
      ? false
      : ['true', '1'].includes(trustProxyRaw)
        ? true
        : trustProxyRaw;

  const databaseUrl = read.raw('DATABASE_URL');
  let database: DatabaseConfig;
  if (databaseUrl === undefined) {
    database = { kind: 'sqlite', file: path.join(dataDir, 'vertex-ar.sqlite') };
  } else if (databaseUrl.startsWith('sqlite:')) {
    database = { kind: 'sqlite', file: path.resolve(databaseUrl.slice('sqlite:'.length)) };
  } else {
    read.checkUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
    const schema = read.string('DATABASE_SCHEMA', 'public');
    if (!SCHEMA_NAME.test(schema)) {
      read.problems.push(`DATABASE_SCHEMA must match ${SCHEMA_NAME.source}, got "${schema}"`);
    }
    database = {
      kind: 'postgres',
      url: databaseUrl,
      schema,
      poolMax: read.int('DATABASE_POOL_MAX', 10, 1, 1000),
    };
  }

  const driver = read.oneOf('STORAGE_DRIVER', ['local', 's3'], 'local');
  let storage: StorageConfig;
  if (driver === 'local') {
    storage = { driver: 'local', root: path.join(dataDir, 'storage') };
  } else {
    const bucket = read.raw('S3_BUCKET');
    if (bucket === undefined) read.problems.push('S3_BUCKET is required when STORAGE_DRIVER=s3');
    const endpoint = read.raw('S3_ENDPOINT');
    if (endpoint !== undefined) read.checkUrl('S3_ENDPOINT', endpoint, ['http:', 'https:']);
    storage = {
      driver: 's3',
      endpoint,
      region: read.string('S3_REGION', 'us-east-1'),
      bucket: bucket ?? '',
      accessKeyId: read.raw('S3_ACCESS_KEY_ID'),
      secretAccessKey: read.raw('S3_SECRET_ACCESS_KEY'),
      forcePathStyle: read.bool('S3_FORCE_PATH_STYLE', endpoint !== undefined),
    };
  }

  const sessionSecret = read.raw('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    read.problems.push('SESSION_SECRET must be at least 32 characters');
  }

  const adminUsername = read.raw('ADMIN_USERNAME');
  const adminPassword = read.raw('ADMIN_PASSWORD');
  if ((adminUsername === undefined) !== (adminPassword === undefined)) {
    read.problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }

  const corsOrigins = (read.raw('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      read.problems.push(
        `CORS_ORIGINS entries must be origins like https://studio.example, got "${origin}"`,
      );
    }
  }

  const studioName = read.string('STUDIO_NAME', 'Vertex AR').trim();
  if (studioName.length > STUDIO_NAME_MAX) {
    read.problems.push(`STUDIO_NAME must be at most ${STUDIO_NAME_MAX} characters`);
  }
  const logoUrl = read.raw('STUDIO_LOGO_URL')?.trim();
  if (logoUrl !== undefined && !isStudioLogoUrl(logoUrl)) {
    read.problems.push(
      `STUDIO_LOGO_URL must be a same-origin path like /media/logo.png or an https: URL, got "${redactUrl(logoUrl)}"`,
    );
  }
  const contactUrl = read.raw('STUDIO_CONTACT_URL')?.trim();
  if (contactUrl !== undefined && !isStudioContactUrl(contactUrl)) {
    read.problems.push(
      `STUDIO_CONTACT_URL must be an https:, tel: or mailto: URL, got "${redactUrl(contactUrl)}"`,
    );
  }

  const redisUrl = read.raw('REDIS_URL');
  if (redisUrl !== undefined) read.checkUrl('REDIS_URL', redisUrl, ['redis:', 'rediss:']);

  const config: Config = {
    settings: read.settings,
    nodeEnv,
    host,
    port,
    dataDir,
    publicBaseUrl,
    trustProxy,
    database,
    storage,
    sessionSecret,
    sessionTimeoutMinutes: read.int('SESSION_TIMEOUT_MINUTES', 30, 1, 7 * 24 * 60),
    sessionMaxHours: read.int('SESSION_MAX_HOURS', 12, 1, 24 * 90),
    bcryptCost: read.int('BCRYPT_COST', 12, 4, 16),
    lockout: {
      maxAttempts: read.int('AUTH_MAX_ATTEMPTS', 5, 1, 1000),
      lockoutMinutes: read.int('AUTH_LOCKOUT_MINUTES', 15, 1, 7 * 24 * 60),
      accountMaxFailuresPerHour: read.int('AUTH_ACCOUNT_MAX_FAILURES_PER_HOUR', 50, 1, 100_000),
    },
    requireTwoFactor: read.oneOf('REQUIRE_2FA', ['admins', 'all', 'none'], 'none'),
    passwordHashing: {
      concurrency: read.int('PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
      queueLimit: read.int('PASSWORD_HASH_QUEUE', 16, 0, 10_000),
    },
    admin: { username: adminUsername, password: adminPassword },
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logging: logSettings(read),
    corsOrigins,
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    requestLimits: {
      requestTimeoutSeconds: read.int('REQUEST_TIMEOUT_SECONDS', 900, 1, 24 * 3600),
      bodyMinBytesPerSecond: read.int('BODY_MIN_BYTES_PER_SECOND', 1024, 0, 100 * MB),
      bodyRateWindowSeconds: read.int('BODY_RATE_WINDOW_SECONDS', 10, 1, 3600),
    },
    media: {
      maxImageBytes: read.int('UPLOAD_MAX_IMAGE_MB', 25, 1, 500) * MB,
      maxVideoBytes: read.int('UPLOAD_MAX_VIDEO_MB', 200, 1, 10_000) * MB,
      maxImagePixels: read.int('IMAGE_MAX_PIXELS', 50_000_000, 1_000_000, 1_000_000_000),
      minImageSidePx: read.int('IMAGE_MIN_SIDE_PX', 480, 64, 10_000),
      maxVideoSeconds: read.int('VIDEO_MAX_SECONDS', 300, 1, 24 * 3600),
    },
    jobs: {
      inProcess: read.bool('JOBS_IN_PROCESS', true),
      leaseSeconds: read.int('JOB_LEASE_SECONDS', 60, 2, 3600),
      pollMs: read.int('JOB_POLL_MS', 1000, 50, 60_000),
      markerTimeoutSeconds: read.int('MARKER_TIMEOUT_SECONDS', 600, 10, 24 * 3600),
      videoTimeoutSeconds: read.int('VIDEO_TIMEOUT_SECONDS', 900, 10, 24 * 3600),
    },
    viewer: {
      defaultLocale: read.oneOf('DEFAULT_LOCALE', VIEWER_LOCALES, 'ru'),
      studio: {
        name: studioName,
        ...(logoUrl === undefined ? {} : { logoUrl }),
        ...(contactUrl === undefined ? {} : { contactUrl }),
      },
    },
    rateLimit: {
      enabled: read.bool('RATE_LIMIT_ENABLED', true),
      auth: read.rateLimit('AUTH_RATE_LIMIT', '5/minute'),
      upload: read.rateLimit('UPLOAD_RATE_LIMIT', '10/minute'),
      global: read.rateLimit('GLOBAL_RATE_LIMIT', '100/minute'),
      public: read.rateLimit('PUBLIC_RATE_LIMIT', '600/minute'),
    },
    redis: { url: redisUrl, keyPrefix: read.string('REDIS_KEY_PREFIX', 'vertex-ar:') },
    backup: {
      dir: path.resolve(read.string('BACKUP_DIR', path.join(dataDir, 'backups'))),
      encryption: read.oneOf('BACKUP_ENCRYPTION', ['age', 'none'], 'age'),
      passphrase: read.raw('BACKUP_PASSPHRASE'),
      recipients: backupRecipients(read),
      s3: backupS3(read),
      keep: {
        last: read.optionalInt('BACKUP_KEEP_LAST', 1, 100_000),
        days: read.optionalInt('BACKUP_KEEP_DAYS', 1, 100_000),
        daily: read.optionalInt('BACKUP_KEEP_DAILY', 1, 100_000),
        weekly: read.optionalInt('BACKUP_KEEP_WEEKLY', 1, 100_000),
        monthly: read.optionalInt('BACKUP_KEEP_MONTHLY', 1, 100_000),
      },
      schedule: checkedSchedule(read.raw('BACKUP_SCHEDULE')?.trim(), read.problems),
    },
    sentry: sentrySettings(read, nodeEnv),
    metrics: metricsSettings(read),
    phoneRegion: phoneRegion(read),
    mail: mailSettings(read),
    sso: ssoSettings(read),
  };

  if (config.metrics.port !== undefined && config.metrics.port === port && port !== 0) {
    read.problems.push('METRICS_PORT must differ from PORT (unset it to serve /metrics on PORT)');
  }
  const backupBucket = config.backup.s3;
  if (
    backupBucket !== undefined &&
    storage.driver === 's3' &&
    backupBucket.bucket === storage.bucket &&
    backupBucket.endpoint === storage.endpoint
  ) {
    // A backup in the media bucket is lost with it: it is no backup at all.
    read.problems.push('BACKUP_S3_BUCKET must be another bucket than S3_BUCKET (the media bucket)');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
