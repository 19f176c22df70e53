import type { Config } from './config.js';
import { createDatabase, type Database } from './infra/db/database.js';
import { createStorage, type Storage } from './infra/storage/index.js';
import { resolveSessionSecret } from './infra/session-secret.js';
import { createRedisConnection } from './infra/redis.js';
import { noopErrorReporter, type ErrorReporter } from './infra/error-reporting/index.js';
import { createApiKeysRepo } from './modules/api-keys/api-keys.repo.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createAuditLog } from './modules/audit/audit-log.service.js';
import { createAuditRepo } from './modules/audit/audit.repo.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthGuard } from './modules/auth/auth.guard.js';
import { createBackupAdmin } from './modules/backup/backup-admin.service.js';
import { createBackupRunsRepo } from './modules/backup/backup-runs.repo.js';
import { createBackupScheduler } from './modules/backup/backup-schedule.js';
import { configuredSecretNames, createBackupService } from './modules/backup/backup.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginFailuresRepo } from './modules/auth/login-failures.repo.js';
import { createLockoutService } from './modules/auth/lockout.service.js';
import { createPasswordHasher } from './modules/auth/password.js';
import { createSessionsRepo } from './modules/auth/sessions.repo.js';
import { createSessionsService } from './modules/auth/sessions.service.js';
import { createTokenService } from './modules/auth/tokens.js';
import { emailChannel } from './modules/two-factor/second-factor-channel.js';
import { createSignInCompletion } from './modules/two-factor/sign-in.js';
import { createTwoFactorKeys } from './modules/two-factor/two-factor-keys.js';
import { createTwoFactorRepo } from './modules/two-factor/two-factor.repo.js';
import { createTwoFactorService } from './modules/two-factor/two-factor.service.js';
import { createSsoCookieSealer } from './modules/sso/sso-cookie.js';
import { createSsoProviders } from './modules/sso/sso.providers.js';
import { createSsoRepo } from './modules/sso/sso.repo.js';
import { createSsoService } from './modules/sso/sso.service.js';
import { createUsersRepo } from './modules/users/users.repo.js';
import { createMetrics } from './infra/metrics/metrics.js';
import { backupMetrics, prometheusText } from './modules/backup/backup-metrics.js';
import { registerSystemGauges } from './modules/system/system-metrics.js';
import { createSystemStatusRepo } from './modules/system/system-status.repo.js';
import { createSystemStatus } from './modules/system/system-status.service.js';
import { versionInfo } from './version.js';
import { createUsersService } from './modules/users/users.service.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createPrintService } from './modules/print/print.service.js';
import { createSmtpMailer } from './infra/mail/index.js';
import { createSendLink } from './modules/send-link/send-link.service.js';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { UploadRules } from './http/uploads.js';
import { createLogger } from './infra/logger.js';
import { assertKind, probeImage, probeVideo, processLogo, sniff } from './infra/media/index.js';
import { createDatabaseJobQueue } from './infra/queue/database-queue.js';
import { createJobRunner } from './infra/queue/job-runner.js';
import { createJobHandlers } from './jobs/handlers.js';
import { JOB_PAYLOADS, runnableKinds } from './jobs/job-kinds.js';
import { createClientsRepo } from './modules/clients/clients.repo.js';
import { createOrderIntake } from './modules/orders/order-intake.service.js';
import { createOrdersRepo } from './modules/orders/orders.repo.js';
import { createPortraitsRepo } from './modules/portraits/portraits.repo.js';
import { createPortraitsService } from './modules/portraits/portraits.service.js';
import { createViewerLookup } from './modules/portraits/viewer-lookup.js';
import { createAnalyticsRepo } from './modules/analytics/analytics.repo.js';
import { createAnalyticsService } from './modules/analytics/analytics.service.js';
import { createVisitDedup } from './modules/analytics/visit-dedup.js';
import { createVisitDedupRepo } from './modules/analytics/visit-dedup.repo.js';
import { createVideosRepo } from './modules/videos/videos.repo.js';
import { createVideosService } from './modules/videos/videos.service.js';
import { createClientsService } from './modules/clients/clients.service.js';
import { createOrdersService } from './modules/orders/orders.service.js';
import { createPortraitActions } from './modules/portraits/portrait-actions.service.js';
import { createPortraitImage } from './modules/portraits/portrait-image.service.js';
import { createStudioRepo } from './modules/studio/studio.repo.js';
import { createNotesRepo } from './modules/notes/notes.repo.js';
import { createNotesService } from './modules/notes/notes.service.js';
import { createExportsRepo } from './modules/exports/exports.repo.js';
import { createExportsService } from './modules/exports/exports.service.js';
import type { OrdersService } from './modules/orders/orders.service.js';
import type { ClientsService } from './modules/clients/clients.service.js';
import {
  createStudioService,
  LOGO_MAX_SIDE_PX,
  LOGO_MIN_SIDE_PX,
} from './modules/studio/studio.service.js';

/** The job runner's outcome of an attempt, as the duration histogram labels it. */
const JOB_OUTCOMES = { done: 'done', queued: 'retry', failed: 'failed' } as const;

/**
 * The composition root: builds every adapter and service once, from the config. Routes, jobs
 * and the CLI receive this object; tests build it with their own database, storage or clock.
 */
export function createContext(
  config: Config,
  overrides: {
    database?: Database;
    storage?: Storage;
    clock?: Clock;
    /** Started by `serve` and `worker` only (`startErrorReporting`); other commands: none. */
    errorReporter?: ErrorReporter;
  } = {},
) {
  const errorReporter = overrides.errorReporter ?? noopErrorReporter;
  // stdout, plus the rotated LOG_FILE / LOG_ERROR_FILE when set; closed last by `close()`.
  const logs = createLogger(config.logLevel, config.logging);
  const logger: FastifyBaseLogger = logs.logger;
  const metrics = createMetrics({ version: versionInfo.version });
  const database =
    overrides.database ?? createDatabase(config.database, { onQueryError: metrics.queryFailed });
  const storage = overrides.storage ?? createStorage(config.storage);
  const clock = overrides.clock ?? systemClock;
  // Shared by every instance (rate-limit counters); without it, state stays in this process.
  const redis =
    config.redis.url === undefined ? null : createRedisConnection(config.redis.url, logger);
  const sessionSecret = resolveSessionSecret(config.sessionSecret, config.dataDir);
  // Outgoing e-mail (links to buyers); null while SMTP_URL is unset.
  const mailer = config.mail === undefined ? null : createSmtpMailer(config.mail);

  // Repositories: one of each, shared by every service and job that queries the area.
  const usersRepo = createUsersRepo();
  const sessionsRepo = createSessionsRepo();
  const apiKeysRepo = createApiKeysRepo();
  const auditRepo = createAuditRepo(database.dialect);
  const portraitsRepo = createPortraitsRepo(database.dialect);
  const videosRepo = createVideosRepo();
  const clientsRepo = createClientsRepo(database.dialect);
  const ordersRepo = createOrdersRepo();
  const analyticsRepo = createAnalyticsRepo();
  const visitDedupRepo = createVisitDedupRepo();
  const studioRepo = createStudioRepo(database.dialect);
  const backupRunsRepo = createBackupRunsRepo();

  const hasher = createPasswordHasher(config.bcryptCost, config.passwordHashing);
  const tokenService = createTokenService(sessionSecret);
  const auditService = createAuditService({ database, auditRepo, clock });
  const usersService = createUsersService({
    database,
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    audit: auditService,
    clock,
  });
  const lockoutService = createLockoutService({
    database,
    failures: createLoginFailuresRepo(),
    audit: auditService,
    clock,
    settings: config.lockout,
    onLockout: metrics.loginLockedOut,
  });
  const authService = createAuthService({
    lockout: lockoutService,
    database,
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    tokens: tokenService,
    audit: auditService,
    clock,
    settings: {
      sessionTimeoutMinutes: config.sessionTimeoutMinutes,
      sessionMaxHours: config.sessionMaxHours,
    },
  });
  // Two-factor sign-in (issue 13): keys derived from the session secret.
  const twoFactorKeys = createTwoFactorKeys(sessionSecret);
  const twoFactorRepo = createTwoFactorRepo();
  const signIn = createSignInCompletion({
    openSession: authService.openSession,
    database,
    repo: twoFactorRepo,
    users: usersRepo,
    keys: twoFactorKeys,
    lockout: lockoutService,
    audit: auditService,
    clock,
    policy: config.requireTwoFactor,
    emailChannel: mailer === null ? null : emailChannel(mailer, config.viewer.studio.name),
    defaultLocale: config.viewer.defaultLocale,
  });
  const twoFactorService = createTwoFactorService({
    database,
    repo: twoFactorRepo,
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    lockout: lockoutService,
    keys: twoFactorKeys,
    audit: auditService,
    clock,
    policy: config.requireTwoFactor,
    issuer: config.viewer.studio.name,
    mailAvailable: mailer !== null,
  });
  // Single sign-on (issue 13): providers from OIDC_* / GITHUB_*, accounts by (provider, subject).
  const ssoService = createSsoService({
    database,
    providers: createSsoProviders(config.sso.providers),
    sso: createSsoRepo(),
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    audit: auditService,
    clock,
    sealer: createSsoCookieSealer(sessionSecret),
    signIn,
    settings: {
      publicBaseUrl: config.publicBaseUrl,
      autoCreate: config.sso.autoCreate,
      roleClaim: config.sso.roleClaim,
    },
  });
  const sessionsService = createSessionsService({
    database,
    sessions: sessionsRepo,
    users: usersRepo,
    audit: auditService,
    clock,
    settings: { sessionTimeoutMinutes: config.sessionTimeoutMinutes },
  });
  const apiKeysService = createApiKeysService({
    database,
    apiKeys: apiKeysRepo,
    users: usersRepo,
    audit: auditService,
    clock,
  });

  const portraitsService = createPortraitsService({
    database,
    portraits: portraitsRepo,
    clock,
    publicBaseUrl: config.publicBaseUrl,
  });
  const queue = createDatabaseJobQueue(database, clock);
  const backupService = createBackupService({
    database,
    databaseConfig: config.database,
    storage,
    settings: config.backup,
    secretNames: configuredSecretNames(config),
    configuration: config.settings,
    clock,
  });
  // Started by the server (`serve`) only; every instance runs it, the database picks one.
  const backupScheduler = createBackupScheduler({
    schedule: config.backup.schedule,
    database,
    backupRuns: backupRunsRepo,
    queue,
    clock,
    logger,
  });
  const jobHandlers = createJobHandlers({
    database,
    storage,
    clock,
    queue,
    portraitsRepo,
    videosRepo,
    portraitsService,
    backupRuns: backupRunsRepo,
    backups: backupService,
    audit: auditService,
    logger,
    onMarkerBuilt: (result) => {
      metrics.observeMarker(result);
    },
    tmpRoot: path.join(config.dataDir, 'tmp', 'jobs'),
    limits: {
      maxImagePixels: config.media.maxImagePixels,
      maxVideoSeconds: config.media.maxVideoSeconds,
      markerTimeoutMs: config.jobs.markerTimeoutSeconds * 1000,
      videoTimeoutMs: config.jobs.videoTimeoutSeconds * 1000,
    },
  });
  const jobs = createJobRunner({
    queue,
    kinds: runnableKinds(config.jobs),
    handlers: jobHandlers,
    logger,
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseSeconds * 1000,
    onJobFinished: (job, outcome, durationMs) => {
      metrics.observeJob(job.kind, JOB_OUTCOMES[outcome], durationMs / 1000);
    },
    reportFailure: (job, error) => {
      errorReporter.captureJobFailure(error, job);
    },
  });
  const systemStatus = createSystemStatus({
    database,
    storage,
    repo: createSystemStatusRepo(database.dialect),
    backupRuns: backupRunsRepo,
    clock,
    jobKinds: Object.keys(JOB_PAYLOADS),
    volumes: [
      { volume: 'data', path: config.dataDir },
      ...(config.storage.driver === 'local'
        ? [{ volume: 'storage' as const, path: config.storage.root }]
        : []),
    ],
  });
  registerSystemGauges(metrics.registry, () => systemStatus.snapshot());
  const { media } = config;
  const orderIntake = createOrderIntake({
    database,
    storage,
    clock,
    queue,
    clients: clientsRepo,
    orders: ordersRepo,
    portraits: portraitsRepo,
    videos: videosRepo,
    portraitsService,
    audit: auditService,
    phoneRegion: config.phoneRegion,
    media: {
      probeImage: (file) =>
        probeImage(file, { maxPixels: media.maxImagePixels, minSide: media.minImageSidePx }),
      probeVideo: (file) =>
        probeVideo(file, { limits: { maxDurationSeconds: media.maxVideoSeconds } }),
    },
  });
  const videosService = createVideosService({
    database,
    storage,
    clock,
    queue,
    videos: videosRepo,
    portraits: portraitsRepo,
    portraitsService,
    audit: auditService,
    // The same probe and limits as the order intake.
    media: {
      probeVideo: (file) =>
        probeVideo(file, { limits: { maxDurationSeconds: media.maxVideoSeconds } }),
    },
  });
  const analyticsService = createAnalyticsService({
    database,
    analytics: analyticsRepo,
    portraits: portraitsRepo,
    clock,
    visitDedup: createVisitDedup({ repo: visitDedupRepo, clock }),
  });

  /** Notes and CSV exports (issue 12): built on the orders and clients services. */
  const withNotesAndExports = <
    S extends { ordersService: OrdersService; clientsService: ClientsService },
  >(
    services: S,
  ) => {
    const notesRepo = createNotesRepo();
    return {
      ...services,
      notesService: createNotesService({ database, notes: notesRepo, audit: auditService, clock }),
      exportsService: createExportsService({
        database,
        ordersService: services.ordersService,
        clientsService: services.clientsService,
        notes: notesRepo,
        exports: createExportsRepo(),
        portraits: portraitsRepo,
        audit: auditService,
        clock,
        defaultLocale: config.viewer.defaultLocale,
      }),
    };
  };

  return {
    config,
    logger,
    database,
    storage,
    clock,
    queue,
    jobs,
    jobHandlers,
    backupScheduler,
    redis,
    errorReporter,
    metrics,
    /** The whole `/metrics` text: the registry, then the backup figures from the database. */
    async scrapeMetrics() {
      const [registered, backups] = await Promise.all([
        metrics.registry.metrics(),
        backupMetrics(database.db, backupRunsRepo).catch(() => []),
      ]);
      return {
        contentType: metrics.registry.contentType,
        body: registered + prometheusText(backups),
      };
    },
    services: withNotesAndExports({
      systemStatus,
      auditService,
      auditLog: createAuditLog({ database, auditRepo, audit: auditService }),
      usersService,
      authService,
      signIn,
      twoFactorService,
      ssoService,
      lockoutService,
      tokenService,
      sessionsService,
      apiKeysService,
      requireRole: createAuthGuard(authService, tokenService, apiKeysService),
      portraitsRepo,
      videosRepo,
      portraitsService,
      orderIntake,
      videosService,
      analyticsService,
      backupService,
      backupRunsRepo,
      backupAdmin: createBackupAdmin({
        database,
        backupRuns: backupRunsRepo,
        backups: backupService,
        queue,
        audit: auditService,
        clock,
        settings: config.backup,
      }),
      viewerLookup: createViewerLookup(database, portraitsRepo, analyticsService),
      sendLink: createSendLink({
        database,
        portraits: portraitsRepo,
        clients: clientsRepo,
        publicUrl: portraitsService.publicUrl,
        mailer,
        audit: auditService,
        studioName: config.viewer.studio.name,
      }),
      printService: createPrintService({
        database,
        storage,
        portraits: portraitsRepo,
        publicUrl: portraitsService.publicUrl,
        clock,
        maxImagePixels: config.media.maxImagePixels,
      }),
      clientsService: createClientsService({
        database,
        clients: clientsRepo,
        portraits: portraitsRepo,
        portraitsService,
        queue,
        audit: auditService,
        clock,
        phoneRegion: config.phoneRegion,
      }),
      portraitActions: createPortraitActions({
        database,
        portraits: portraitsRepo,
        portraitsService,
        queue,
        audit: auditService,
        clock,
      }),
      portraitImage: createPortraitImage({
        database,
        storage,
        portraits: portraitsRepo,
        portraitsService,
        queue,
        audit: auditService,
        // The order intake's checks: a photo refused there is refused here.
        media: {
          probeImage: (file) =>
            probeImage(file, { maxPixels: media.maxImagePixels, minSide: media.minImageSidePx }),
        },
        clock,
      }),
      ordersService: createOrdersService({
        database,
        orders: ordersRepo,
        portraitsService,
        phoneRegion: config.phoneRegion,
      }),
      studioService: createStudioService({
        database,
        storage,
        clock,
        assets: studioRepo,
        audit: auditService,
        media: {
          probeImage: (file) =>
            probeImage(file, { maxPixels: media.maxImagePixels, minSide: LOGO_MIN_SIDE_PX }),
          renderLogo: (file) =>
            processLogo(file, { maxPixels: media.maxImagePixels, maxSide: LOGO_MAX_SIDE_PX }),
        },
      }),
      uploads: {
        tmpDir: path.join(config.dataDir, 'tmp', 'uploads'),
        image: {
          maxBytes: media.maxImageBytes,
          required: true,
          checkHeader: (header: Buffer) => assertKind(sniff(header), 'image'),
        },
        video: {
          maxBytes: media.maxVideoBytes,
          required: true,
          checkHeader: (header: Buffer) => assertKind(sniff(header), 'video'),
        },
      } satisfies UploadRules,
    }),
    async close(): Promise<void> {
      backupScheduler.stop();
      mailer?.close();
      await jobs.stop();
      await database.destroy();
      await redis?.close();
      // Last: errors met while shutting down are still sent (within 2 s).
      await errorReporter.close(2000);
      // After everything else: what the steps above logged still reaches the log files.
      await logs.close();
    },
  };
}

export type AppContext = ReturnType<typeof createContext>;
