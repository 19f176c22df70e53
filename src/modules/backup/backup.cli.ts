import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../config.js';
import { createContext } from '../../context.js';
import { createDatabase } from '../../infra/db/database.js';
import { configuredSecretNames, createBackupService } from './backup.service.js';
import { describeDestination } from './destination.js';
import { describePolicy } from './retention.js';
import { restoreBackup } from './restore.js';

export const BACKUP_USAGE = `  backup create                  back up the database and stored objects; prints the id
  backup list [--json]           every backup with its status (complete, incomplete, failed)
  backup verify ID               decrypt and check every checksum, open the database copy
  backup restore ID [--dry-run] [--force] [--target-database-url URL] [--json]
                                 restore into an empty installation (--force: replace a
                                 non-empty one, after a safety backup of it)
  backup prune                   delete what BACKUP_KEEP_* does not keep
  backup delete ID               delete one backup (its objects go at the next prune)`;

interface CliIo {
  say: (line: string) => void;
  usage: (message: string) => Error;
}

/**
 * `vertex-ar backup …`: the database is backed up as it is (no migration first: a pre-upgrade
 * backup must stay pre-upgrade); restore migrates what it restored.
 */
export async function backupCommand(config: Config, args: string[], io: CliIo): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      'target-database-url': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const ctx = createContext(config);
  const depsFor = (database = ctx.database, databaseConfig = config.database) => ({
    database,
    databaseConfig,
    storage: ctx.storage,
    settings: config.backup,
    secretNames: configuredSecretNames(config),
    configuration: config.settings,
    clock: ctx.clock,
  });
  const service = createBackupService(depsFor());
  const needId = () => {
    const id = positionals[0];
    if (id === undefined) throw io.usage(`backup ${action ?? ''} needs a backup id`);
    return id;
  };
  try {
    switch (action) {
      case 'create': {
        if (config.backup.s3 === undefined) {
          io.say(
            `Backing up to ${config.backup.dir} (a local folder is not off-site: copy it elsewhere).`,
          );
        }
        const created = await service.create();
        io.say(
          `Backup ${created.id} complete: ${created.copied} objects copied, ${created.reused} already held, ${created.bytes} bytes, ${created.durationMs} ms.`,
        );
        process.stdout.write(`${created.id}\n`);
        return;
      }
      case 'list': {
        const backups = await service.list();
        if (values.json === true) {
          process.stdout.write(`${JSON.stringify(backups)}\n`);
          return;
        }
        io.say(`Destination: ${describeDestination(config.backup)}`);
        io.say(`Schedule: ${config.backup.schedule ?? 'none (BACKUP_SCHEDULE unset)'}`);
        io.say(`Retention: ${describePolicy(config.backup.keep)}`);
        for (const b of backups) {
          process.stdout.write(`${b.id}  ${b.status}  ${b.objects} objects  ${b.bytes} bytes\n`);
        }
        return;
      }
      case 'verify': {
        const id = needId();
        const problems = await service.verify(id);
        for (const problem of problems) io.say(`FAILED ${problem}`);
        if (problems.length > 0) process.exitCode = 1;
        else io.say(`Backup ${id} verified: every checksum matches and the database opens.`);
        return;
      }
      case 'restore': {
        const id = needId();
        const url = values['target-database-url'];
        const targetConfig =
          url === undefined
            ? config.database
            : loadConfig({ ...process.env, DATABASE_URL: url }).database;
        const targetDatabase = url === undefined ? ctx.database : createDatabase(targetConfig);
        try {
          const safety = createBackupService(depsFor(targetDatabase, targetConfig));
          const report = await restoreBackup(
            await service.open(id),
            { database: targetDatabase, databaseConfig: targetConfig, storage: ctx.storage },
            {
              dryRun: values['dry-run'] === true,
              force: values.force === true,
              safetyBackup: async () => (await safety.create()).id,
            },
          );
          if (values.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
          const rows = Object.values(report.rows).reduce((total, n) => total + n, 0);
          if (report.safetyBackup !== null) {
            io.say(`Safety backup of what was there: ${report.safetyBackup}`);
          }
          io.say(
            report.dryRun
              ? `Dry run: backup ${id} checks out; restoring it would write ${rows} rows and ${report.objects} objects (${report.bytes} bytes). The target holds ${report.found.rows} rows and ${report.found.objects} other objects${report.found.rows + report.found.objects > 0 ? ' (needs --force)' : ''}.`
              : `Restored backup ${id}: ${rows} rows, ${report.objects} objects (${report.bytes} bytes).`,
          );
        } finally {
          if (targetDatabase !== ctx.database) await targetDatabase.destroy();
        }
        return;
      }
      case 'delete': {
        const id = needId();
        if (!(await service.delete(id))) throw io.usage(`no backup "${id}"`);
        io.say(`Deleted backup ${id}; run "backup prune" to reclaim objects only it referred to.`);
        return;
      }
      case 'prune': {
        const pruned = await service.prune();
        io.say(`Retention: ${describePolicy(config.backup.keep)}`);
        for (const id of pruned.deleted) io.say(`Deleted backup ${id}`);
        io.say(
          `Pruned ${pruned.deleted.length} backups and ${pruned.objectsDeleted} objects no kept backup refers to.`,
        );
        return;
      }
      default:
        throw io.usage(`unknown backup command "${action ?? ''}"`);
    }
  } finally {
    await ctx.close();
  }
}
