import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { ErrorBody, registerErrorHandling } from './http/errors.js';
import { registerStrictJson } from './http/strict-json.js';
import { registerBodyRateGuard } from './http/body-rate-guard.js';
import { registerOpenApi } from './http/openapi.js';
import { rateLimitReport, registerRateLimits } from './http/rate-limit.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { adminUiRoutes } from './modules/admin-ui/admin-ui.routes.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { lockoutsRoutes } from './modules/auth/lockouts.routes.js';
import { sessionsRoutes } from './modules/auth/sessions.routes.js';
import { twoFactorRoutes } from './modules/two-factor/two-factor.routes.js';
import { ssoRoutes } from './modules/sso/sso.routes.js';
import { clientsRoutes } from './modules/clients/clients.routes.js';
import { exportsRoutes } from './modules/exports/exports.routes.js';
import { notesRoutes } from './modules/notes/notes.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { portraitImageRoutes } from './modules/portraits/portrait-image.routes.js';
import { portraitsRoutes } from './modules/portraits/portraits.routes.js';
import { printRoutes } from './modules/print/print.routes.js';
import { sendLinkRoutes } from './modules/send-link/send-link.routes.js';
import { PortraitDetailSchema } from './modules/portraits/portraits.schemas.js';
import { mediaRoutes } from './modules/videos/media.routes.js';
import { videosRoutes } from './modules/videos/videos.routes.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { markerKeys } from './modules/portraits/portrait-keys.js';
import { ViewerAssets, viewerAssetsRoutes } from './modules/viewer/viewer-assets.routes.js';
import { storageMarkerFileSource, viewerRoutes } from './modules/viewer/viewer.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { studioRoutes } from './modules/studio/studio.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { metricsRoutesOf } from './metrics-server.js';
import { registerRequestMetrics } from './http/request-metrics.js';
import { backupRoutes } from './modules/backup/backup.routes.js';
import { UserSchema } from './modules/users/users.schemas.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The public AR page `/p/{slug}`, its runtime (A-Frame, AR.js, camera parameters: from our own
 * origin) and the marker files from storage.
 */
async function registerViewer(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const assets = await ViewerAssets.load();
  // Max-brotli of the two big scripts costs seconds of CPU: done once, off the request path.
  assets.precompress().catch((error: unknown) => {
    app.log.warn({ err: error }, 'viewer asset precompression failed');
  });
  await app.register(viewerAssetsRoutes(assets));
  await app.register(
    viewerRoutes(ctx.services.viewerLookup, {
      assets: assets.urls,
      defaultLocale: ctx.config.viewer.defaultLocale,
      studio: ctx.config.viewer.studio,
      uploadedLogoUrl: () => ctx.services.studioService.studioLogoUrl(),
      markers: storageMarkerFileSource(ctx.storage, (portraitId, version, ext) =>
        /^[1-9]\d{0,8}$/.test(version) ? markerKeys.file(portraitId, Number(version), ext) : null,
      ),
      funnel: ctx.metrics.funnelStep,
    }),
  );
}

/** Builds the HTTP application: infrastructure plugins first, then each module's routes. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    loggerInstance: ctx.logger,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // Honour a sane upstream request id (nginx, load balancer) so logs correlate across hops.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Fastify's default `removeAdditional: true` silently drops properties a schema forbids
    // (`additionalProperties: false`): a client's typo or an unexpected field must be a 400.
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    // Slow clients: the whole request within the deadline (and the body's minimum rate below).
    requestTimeout: config.requestLimits.requestTimeoutSeconds * 1000,
    connectionTimeout: config.requestLimits.requestTimeoutSeconds * 1000,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Headers must arrive well before the whole-request deadline (Node checks it separately).
  app.server.headersTimeout = Math.min(60_000, config.requestLimits.requestTimeoutSeconds * 1000);

  app.addSchema(ErrorBody);
  app.addSchema(UserSchema);
  app.addSchema(PortraitDetailSchema);
  registerErrorHandling(app, ctx.errorReporter);
  registerStrictJson(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerRequestMetrics(app, ctx.metrics);

  registerBodyRateGuard(app, {
    minBytesPerSecond: config.requestLimits.bodyMinBytesPerSecond,
    windowSeconds: config.requestLimits.bodyRateWindowSeconds,
  });
  await registerSecurityHeaders(app);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, { origin: config.corsOrigins, credentials: true });
  }
  await app.register(cookie);
  await app.register(multipart, {
    // The per-field limits (image vs video) are enforced while streaming; this is the ceiling.
    limits: {
      fileSize: Math.max(config.media.maxImageBytes, config.media.maxVideoBytes),
      files: 2,
      fields: 10,
      fieldSize: 4096,
      parts: 12,
    },
  });
  app.decorateRequest('auth', null);
  // Before every route (it attaches to each as it is added), the API docs included.
  await registerRateLimits(app, {
    settings: config.rateLimit,
    redis: ctx.redis,
    keyPrefix: config.redis.keyPrefix,
    onRefused: ctx.metrics.rateLimitRefused,
  });
  await registerOpenApi(app, config.publicBaseUrl);

  // Each module's routes get only what they use (registration order is the OpenAPI order).
  const { database, storage } = ctx;
  const {
    requireRole,
    authService,
    lockoutService,
    tokenService,
    usersService,
    sessionsService,
    apiKeysService,
    orderIntake,
    ordersService,
    portraitsService,
    portraitActions,
    portraitImage,
    clientsService,
    videosService,
    analyticsService,
    studioService,
    portraitsRepo,
    videosRepo,
    uploads,
  } = ctx.services;
  await app.register(
    healthRoutes({
      database,
      storage,
      rateLimit: rateLimitReport(config.rateLimit.enabled, ctx.redis),
    }),
  );
  await app.register(
    authRoutes({
      requireRole,
      authService,
      signIn: ctx.services.signIn,
      tokenService,
      secureCookies: config.publicBaseUrl.startsWith('https:'),
      sessionTimeoutMinutes: config.sessionTimeoutMinutes,
      defaultLocale: config.viewer.defaultLocale,
    }),
  );
  await app.register(
    ssoRoutes({
      requireRole,
      ssoService: ctx.services.ssoService,
      secureCookies: config.publicBaseUrl.startsWith('https:'),
    }),
  );
  await app.register(
    twoFactorRoutes({ requireRole, twoFactorService: ctx.services.twoFactorService }),
  );
  await app.register(sessionsRoutes({ requireRole, sessionsService }));
  await app.register(lockoutsRoutes({ requireRole, lockoutService }));
  await app.register(usersRoutes({ requireRole, usersService }));
  await app.register(apiKeysRoutes({ requireRole, apiKeysService }));
  await app.register(ordersRoutes({ requireRole, orderIntake, ordersService, uploads }));
  await app.register(portraitsRoutes({ requireRole, portraitsService, portraitActions }));
  await app.register(portraitImageRoutes({ requireRole, portraitImage, uploads }));
  await app.register(printRoutes({ requireRole, printService: ctx.services.printService }));
  await app.register(
    sendLinkRoutes({
      requireRole,
      sendLink: ctx.services.sendLink,
      defaultLocale: config.viewer.defaultLocale,
    }),
  );
  await app.register(exportsRoutes({ requireRole, exportsService: ctx.services.exportsService }));
  await app.register(notesRoutes({ requireRole, notesService: ctx.services.notesService }));
  await app.register(clientsRoutes({ requireRole, clientsService }));
  await app.register(videosRoutes({ requireRole, videosService, uploads }));
  await app.register(analyticsRoutes({ requireRole, analyticsService }));
  await app.register(mediaRoutes({ database, storage, videosRepo, portraitsRepo }));
  await app.register(
    systemRoutes({
      requireRole,
      publicBaseUrl: config.publicBaseUrl,
      mailConfigured: config.mail !== undefined,
      systemStatus: ctx.services.systemStatus,
    }),
  );
  // METRICS_PORT set: served by its own listener instead (server.ts).
  if (config.metrics.port === undefined) await app.register(metricsRoutesOf(ctx));
  await app.register(studioRoutes({ requireRole, studioService, uploads, storage }));
  await app.register(
    backupRoutes({
      requireRole,
      backupAdmin: ctx.services.backupAdmin,
      db: database.db,
      backupRuns: ctx.services.backupRunsRepo,
    }),
  );
  await app.register(auditRoutes({ requireRole, auditLog: ctx.services.auditLog }));
  await registerViewer(app, ctx);
  await app.register(adminUiRoutes());

  return app;
}
