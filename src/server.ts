import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createContext, type AppContext } from './context.js';
import { migrateToLatest } from './infra/db/migrate.js';
import type { ErrorReporter } from './infra/error-reporting/index.js';
import { startMetricsServer } from './metrics-server.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  /** The port actually bound (differs from the config when it asked for 0). */
  port: number;
  firstAdmin: { username: string; generatedPassword?: string } | null;
  close(): Promise<void>;
}

/**
 * `vertex-ar serve`: migrate, make sure an admin exists, then listen. `errorReporter` (Sentry)
 * is the caller's: a process-wide singleton; `close()` flushes and stops it.
 */
export async function startServer(
  config: Config,
  options: { errorReporter?: ErrorReporter } = {},
): Promise<RunningServer> {
  const ctx = createContext(config, { errorReporter: options.errorReporter });
  try {
    await migrateToLatest(ctx.database, config.database, {
      phoneRegion: config.phoneRegion,
      logger: ctx.logger,
    });
    // The embedded default keeps files under DATA_DIR; create it on first start. (Readiness
    // still fails later if the directory disappears, e.g. an unmounted volume.)
    if (config.storage.driver === 'local')
      await mkdir(config.storage.root, { recursive: true, mode: 0o700 });
    const firstAdmin = await ctx.services.usersService.ensureFirstAdmin(config.admin);
    const app = await buildApp(ctx);
    await app.listen({ port: config.port, host: config.host });
    const metricsServer =
      config.metrics.port === undefined ? null : await startMetricsServer(ctx, config.metrics.port);
    // Embedded default: jobs run in this process. Scaled out: `vertex-ar worker` runs them.
    if (config.jobs.inProcess) ctx.jobs.start();
    // BACKUP_SCHEDULE: every server instance keeps the timer; one wins each slot.
    ctx.backupScheduler.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    return {
      app,
      ctx,
      port,
      firstAdmin,
      async close() {
        await app.close();
        await metricsServer?.close();
        await ctx.close();
      },
    };
  } catch (error) {
    await ctx.close();
    throw error;
  }
}
