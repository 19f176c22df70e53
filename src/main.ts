#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createContext } from './context.js';
import { migrateToLatest } from './infra/db/migrate.js';
import { startErrorReporting } from './infra/error-reporting/index.js';
import type { Role } from './infra/db/schema.js';
import { startServer } from './server.js';
import { startMetricsServer } from './metrics-server.js';
import { AppError } from './shared/errors.js';
import { BACKUP_USAGE, backupCommand } from './modules/backup/backup.cli.js';
import { BackupRefused } from './modules/backup/backup.service.js';
import { RestoreRefused } from './modules/backup/restore.js';
import { BackupKeyError } from './modules/backup/sealer.js';
import { CHECK_USAGE, checkCommand } from './modules/system/check.cli.js';

const USAGE = `Usage: vertex-ar <command>

Commands:
  serve                          migrate the database, then start the HTTP server
                                 (and the job worker, unless JOBS_IN_PROCESS=false)
  worker                         run processing jobs only (markers, media), no HTTP
  migrate                        apply pending database migrations and exit
  user create --username NAME [--role admin|operator] [--email ADDRESS] [--password-stdin]
  user set-password --username NAME [--password-stdin]
${BACKUP_USAGE}
${CHECK_USAGE}
  help                           show this text

Without --password-stdin a strong password is generated and printed once.
Configuration comes from environment variables (see README).`;

/** Human-facing output goes to stderr so stdout stays pure JSON logs. */
const say = (line: string) => process.stderr.write(`${line}\n`);

function readPassword(fromStdin: boolean | undefined): { password: string; generated: boolean } {
  if (fromStdin === true) {
    const password = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
    return { password, generated: false };
  }
  return { password: randomBytes(15).toString('base64url'), generated: true };
}

async function serve(config: Config): Promise<void> {
  const server = await startServer(config, {
    errorReporter: await startErrorReporting(config.sentry),
  });
  if (server.firstAdmin?.generatedPassword !== undefined) {
    say(`First admin created. Username: ${server.firstAdmin.username}`);
    say(`One-time password (shown only now, change it): ${server.firstAdmin.generatedPassword}`);
  } else if (server.firstAdmin !== null) {
    say(`First admin "${server.firstAdmin.username}" created from ADMIN_USERNAME/ADMIN_PASSWORD.`);
  }
  say(`Admin app: ${config.publicBaseUrl}/admin/   API docs: ${config.publicBaseUrl}/api/docs`);
  // Last line on purpose: scripts and tests wait for it.
  say(`Vertex AR is running: ${config.publicBaseUrl} (listening on ${config.host}:${server.port})`);
  onShutdown(() => server.close());
}

async function worker(config: Config): Promise<void> {
  const ctx = createContext(config, { errorReporter: await startErrorReporting(config.sentry) });
  await migrateToLatest(ctx.database, config.database, {
    phoneRegion: config.phoneRegion,
    logger: ctx.logger,
  });
  const metricsServer =
    config.metrics.port === undefined ? null : await startMetricsServer(ctx, config.metrics.port);
  ctx.jobs.start();
  say(`Vertex AR worker ${ctx.jobs.workerId} is running jobs.`);
  onShutdown(async () => {
    await metricsServer?.close();
    await ctx.close();
  });
}

/** Runs `close` once on SIGTERM/SIGINT, then exits (1 when closing failed). */
function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        say(`error during shutdown: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

async function withContext<T>(
  config: Config,
  work: (ctx: ReturnType<typeof createContext>) => Promise<T>,
): Promise<T> {
  const ctx = createContext(config);
  try {
    await migrateToLatest(ctx.database, config.database, {
      phoneRegion: config.phoneRegion,
      logger: ctx.logger,
    });
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

async function user(config: Config, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      role: { type: 'string', default: 'operator' },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.username === undefined) throw new UsageError('--username is required');
  const username = values.username;
  if (action === 'create') {
    if (values.role !== 'admin' && values.role !== 'operator') {
      throw new UsageError('--role must be admin or operator');
    }
    const role: Role = values.role;
    const { password, generated } = readPassword(values['password-stdin']);
    const created = await withContext(config, (ctx) =>
      ctx.services.usersService.createUser({
        username,
        password,
        role,
        email: values.email ?? null,
      }),
    );
    say(`Created ${created.role} "${created.username}".`);
    if (generated) say(`Password (shown only now): ${password}`);
    return;
  }
  if (action === 'set-password') {
    const { password, generated } = readPassword(values['password-stdin']);
    const updated = await withContext(config, (ctx) =>
      ctx.services.usersService.setPassword(username, password),
    );
    say(`Password of "${updated.username}" changed; their sessions were revoked.`);
    if (generated) say(`New password (shown only now): ${password}`);
    return;
  }
  throw new UsageError(`unknown user command "${action ?? ''}"`);
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    say(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'worker':
      return worker(config);
    case 'migrate': {
      const ctx = createContext(config);
      try {
        const { applied } = await migrateToLatest(ctx.database, config.database, {
          phoneRegion: config.phoneRegion,
          logger: ctx.logger,
        });
        say(
          applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is already up to date.',
        );
      } finally {
        await ctx.close();
      }
      return;
    }
    case 'user':
      return user(config, args);
    case 'backup':
      return backupCommand(config, args, { say, usage: (message) => new UsageError(message) });
    case 'check':
      process.exitCode = await checkCommand(config, args, {
        say,
        usage: (message) => new UsageError(message),
      });
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    say(error.message);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof UsageError) {
    say(`${error.message}\n\n${USAGE}`);
    process.exit(64); // EX_USAGE
  }
  if (
    error instanceof BackupRefused ||
    error instanceof BackupKeyError ||
    error instanceof RestoreRefused
  ) {
    say(error.message);
    process.exit(1);
  }
  if (error instanceof AppError) {
    say(`${error.code}: ${error.message}`);
    process.exit(1);
  }
  say(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
