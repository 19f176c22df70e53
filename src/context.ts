import type { Config } from './config.js';
import { createDatabase, type Database } from './infra/db/database.js';
import { createStorage, type Storage } from './infra/storage/index.js';
import { resolveSessionSecret } from './infra/session-secret.js';
import { createAuditRepo } from './modules/audit/audit.repo.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthGuard } from './modules/auth/auth.guard.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createPasswordHasher } from './modules/auth/password.js';
import { createSessionsRepo } from './modules/auth/sessions.repo.js';
import { createTokenService } from './modules/auth/tokens.js';
import { createUsersRepo } from './modules/users/users.repo.js';
import { createUsersService } from './modules/users/users.service.js';
import { systemClock, type Clock } from './shared/clock.js';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { FileFieldSpec } from './http/multipart-files.js';
import { loggerOptions } from './infra/logger.js';
import { assertKind, probeImage, probeVideo, processLogo, sniff } from './infra/media/index.js';
import { createJobQueue } from './infra/queue/job-queue.js';
import { createJobRunner } from './infra/queue/job-runner.js';
import { createJobHandlers } from './jobs/handlers.js';
import { createClientsRepo } from './modules/clients/clients.repo.js';
import { createOrderIntake } from './modules/orders/order-intake.service.js';
import { createOrdersRepo } from './modules/orders/orders.repo.js';
import { createPortraitsRepo } from './modules/portraits/portraits.repo.js';
import { createPortraitsService } from './modules/portraits/portraits.service.js';
import { createViewerLookup } from './modules/portraits/viewer-lookup.js';
import { createAnalyticsRepo } from './modules/analytics/analytics.repo.js';
import { createAnalyticsService } from './modules/analytics/analytics.service.js';
import { createVideosRepo } from './modules/videos/videos.repo.js';
import { createVideosService } from './modules/videos/videos.service.js';
import { createClientsService } from './modules/clients/clients.service.js';
import { createOrdersService } from './modules/orders/orders.service.js';
import { createPortraitActions } from './modules/portraits/portrait-actions.service.js';
import { createStudioRepo } from './modules/studio/studio.repo.js';
import {
  createStudioService,
  LOGO_MAX_SIDE_PX,
  LOGO_MIN_SIDE_PX,
} from './modules/studio/studio.service.js';

/**
 * The composition root: builds every adapter and service once, from the config. Routes, jobs
 * and the CLI receive this object; tests build it with their own database, storage or clock.
 */
export function createContext(
  config: Config,
  overrides: { database?: Database; storage?: Storage; clock?: Clock } = {},
) {
  const logger: FastifyBaseLogger = pino(loggerOptions(config.logLevel));
  const database = overrides.database ?? createDatabase(config.database);
  const storage = overrides.storage ?? createStorage(config.storage);
  const clock = overrides.clock ?? systemClock;
  const sessionSecret = resolveSessionSecret(config.sessionSecret, config.dataDir);

  const usersRepo = createUsersRepo(database);
  const sessionsRepo = createSessionsRepo(database);
  const hasher = createPasswordHasher(config.bcryptCost);
  const tokens = createTokenService(sessionSecret);
  const audit = createAuditService({
    database,
    auditRepo: createAuditRepo(database.dialect),
    clock,
  });
  const users = createUsersService({
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    audit,
    clock,
  });
  const auth = createAuthService({
    users: usersRepo,
    sessions: sessionsRepo,
    hasher,
    tokens,
    audit,
    clock,
    settings: {
      sessionTimeoutMinutes: config.sessionTimeoutMinutes,
      sessionMaxHours: config.sessionMaxHours,
    },
  });

  const portraits = createPortraitsRepo();
  const portraitsService = createPortraitsService({
    database,
    portraits,
    clock,
    publicBaseUrl: config.publicBaseUrl,
  });
  const queue = createJobQueue(database, clock);
  const jobs = createJobRunner({
    queue,
    logger,
    pollMs: config.jobs.pollMs,
    leaseMs: config.jobs.leaseSeconds * 1000,
    handlers: createJobHandlers({
      config,
      database,
      storage,
      clock,
      portraits,
      portraitsService,
      tmpRoot: path.join(config.dataDir, 'tmp', 'jobs'),
    }),
  });
  const { media } = config;
  const videosRepo = createVideosRepo();
  const orderIntake = createOrderIntake({
    database,
    storage,
    clock,
    queue,
    clients: createClientsRepo(),
    orders: createOrdersRepo(),
    portraits,
    videos: videosRepo,
    portraitsService,
    audit,
    media: {
      probeImage: (file) =>
        probeImage(file, { maxPixels: media.maxImagePixels, minSide: media.minImageSidePx }),
      probeVideo: (file) =>
        probeVideo(file, { limits: { maxDurationSeconds: media.maxVideoSeconds } }),
    },
  });
  const videos = createVideosService({
    database,
    storage,
    clock,
    queue,
    videos: videosRepo,
    portraitsService,
    audit,
    // The same probe and limits as the order intake.
    media: {
      probeVideo: (file) =>
        probeVideo(file, { limits: { maxDurationSeconds: media.maxVideoSeconds } }),
    },
  });
  const analytics = createAnalyticsService({
    database,
    analytics: createAnalyticsRepo(),
    portraits,
    clock,
  });

  return {
    config,
    logger,
    database,
    storage,
    clock,
    queue,
    jobs,
    services: {
      audit,
      users,
      auth,
      tokens,
      requireRole: createAuthGuard(auth, tokens),
      portraits,
      portraitsService,
      orderIntake,
      videos,
      analytics,
      viewerLookup: createViewerLookup(database, portraits, analytics),
      clientsService: createClientsService({
        database,
        clients: createClientsRepo(),
        portraits,
        portraitsService,
        queue,
        audit,
        clock,
      }),
      portraitActions: createPortraitActions({
        database,
        portraits,
        portraitsService,
        queue,
        audit,
        clock,
      }),
      ordersService: createOrdersService({
        database,
        orders: createOrdersRepo(),
        portraitsService,
      }),
      studio: createStudioService({
        database,
        storage,
        clock,
        assets: createStudioRepo(),
        audit,
        media: {
          probeImage: (file) =>
            probeImage(file, { maxPixels: media.maxImagePixels, minSide: LOGO_MIN_SIDE_PX }),
          renderLogo: (file) =>
            processLogo(file, { maxPixels: media.maxImagePixels, maxSide: LOGO_MAX_SIDE_PX }),
        },
      }),
      /** Where uploads stream to, and the rules of each kind of uploaded file. */
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
      } satisfies { tmpDir: string; image: FileFieldSpec; video: FileFieldSpec },
    },
    async close(): Promise<void> {
      await jobs.stop();
      await database.destroy();
    },
  };
}

export type AppContext = ReturnType<typeof createContext>;
