import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import type { DatabaseConfig } from '../../config.js';
import type { Database } from '../../infra/db/database.js';
import { migrateTo, migrateToLatest } from '../../infra/db/migrate.js';
import { allMigrations } from '../../infra/db/migrations/index.js';
import { parseStorageKey, type Storage } from '../../infra/storage/index.js';
import { createBackupRunsRepo } from './backup-runs.repo.js';
import { OBJECT_PREFIXES, type OpenedBackup } from './backup.service.js';
import {
  appTables,
  loadRows,
  resetSequences,
  tablesInLoadOrder,
  type RowLine,
} from './database-rows.js';
import type { Manifest } from './layout.js';
import { discard, meter, metered, sameSum, type FileSum } from './streams.js';

/** The installation a backup is restored into (possibly of the other dialect or storage). */
export interface RestoreTarget {
  database: Database;
  databaseConfig: DatabaseConfig;
  storage: Storage;
}

export interface RestoreOptions {
  /** Check every file and report what would happen; write nothing. */
  dryRun: boolean;
  /** Replace a non-empty installation (after `safetyBackup`). */
  force: boolean;
  /** Backs up the target as it is before it is replaced; returns the backup's id. */
  safetyBackup: () => Promise<string>;
}

export interface RestoreReport {
  id: string;
  dryRun: boolean;
  /** What the target held before: rows in its tables and objects the backup does not have. */
  found: { rows: number; objects: number };
  safetyBackup: string | null;
  rows: Record<string, number>;
  objects: number;
  bytes: number;
}

export class RestoreRefused extends Error {}

type AnyDb = Kysely<unknown>;
const raw = (database: Database) => database.db.withoutPlugins() as unknown as AnyDb;

async function countRows(db: AnyDb, dialect: Database['dialect']): Promise<number> {
  let total = 0;
  for (const table of await appTables(db, dialect)) {
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.id(table)}`.execute(db);
    total += Number(rows[0]?.n ?? 0);
  }
  return total;
}

/** Keys in the target's storage that the backup does not hold. */
async function foreignObjects(storage: Storage, manifest: Manifest): Promise<string[]> {
  const keys = new Set(manifest.objects.map((o) => o.key));
  const found: string[] = [];
  for (const prefix of OBJECT_PREFIXES) {
    for await (const info of storage.list(prefix)) if (!keys.has(info.key)) found.push(info.key);
  }
  return found;
}

async function checkedSum(backup: OpenedBackup, file: string, expected: FileSum): Promise<void> {
  const measured = meter();
  await pipeline(await backup.open(file), measured.stream, discard());
  if (!sameSum(measured.sum(), expected)) throw new Error(`${file}: checksum mismatch`);
}

/** Rows per table in the portable copy, checking its checksum (the dry run). */
async function countBackupRows(backup: OpenedBackup): Promise<Record<string, number>> {
  const measured = metered(await backup.open(backup.manifest.rows.file));
  const counts: Record<string, number> = {};
  const lines = createInterface({ input: measured.stream, crlfDelay: Infinity });
  for await (const text of lines) {
    if (text === '') continue;
    const { table } = JSON.parse(text) as RowLine;
    counts[table] = (counts[table] ?? 0) + 1;
  }
  if (!sameSum(measured.sum(), backup.manifest.rows)) {
    throw new Error(`${backup.manifest.rows.file}: checksum mismatch`);
  }
  return counts;
}

/** Drops every table (children first) so migrating recreates the schema at the backup's version. */
async function dropSchema(target: RestoreTarget): Promise<void> {
  const db = raw(target.database);
  const dialect = target.database.dialect;
  const tables = [...(await tablesInLoadOrder(db, dialect))].reverse();
  for (const table of [...tables, 'kysely_migration', 'kysely_migration_lock']) {
    await (
      dialect === 'postgres'
        ? sql`drop table if exists ${sql.id(table)} cascade`
        : sql`drop table if exists ${sql.id(table)}`
    ).execute(db);
  }
}

/**
 * Restores a complete backup into `target`: objects first (each checked against the manifest),
 * then the schema at the backup's migration, every row in one transaction (checked against the
 * manifest before commit), sequences, and the migrations since. An interrupted restore leaves
 * no rows, so running it again starts over.
 */
export async function restoreBackup(
  backup: OpenedBackup,
  target: RestoreTarget,
  options: RestoreOptions,
): Promise<RestoreReport> {
  const { manifest } = backup;
  const known = Object.keys(allMigrations(target.database.dialect));
  if (manifest.migration !== null && !known.includes(manifest.migration)) {
    throw new RestoreRefused(
      `backup ${manifest.id} was taken by a newer version (migration ${manifest.migration}, product ${manifest.product.version}): restore it with that version or a later one`,
    );
  }
  const db = raw(target.database);
  const foreign = await foreignObjects(target.storage, manifest);
  const found = { rows: await countRows(db, target.database.dialect), objects: foreign.length };
  const report: RestoreReport = {
    id: manifest.id,
    dryRun: options.dryRun,
    found,
    safetyBackup: null,
    rows: {},
    objects: manifest.objects.length,
    bytes: manifest.objects.reduce((total, o) => total + o.size, 0),
  };
  const empty = found.rows === 0 && found.objects === 0;
  if (!empty && !options.force && !options.dryRun) {
    throw new RestoreRefused(
      `the target installation is not empty (${found.rows} rows, ${found.objects} stored objects the backup does not have): restore refuses to replace it without --force (which first takes a safety backup)`,
    );
  }
  if (options.dryRun) {
    report.rows = await countBackupRows(backup);
    await checkedSum(backup, manifest.database.file, manifest.database);
    for (const object of manifest.objects) await checkedSum(backup, object.file, object);
    return report;
  }
  if (!empty) report.safetyBackup = await options.safetyBackup();

  for (const key of foreign) await target.storage.delete(parseStorageKey(key));
  for (const object of manifest.objects) {
    const key = parseStorageKey(object.key);
    const measured = metered(await backup.open(object.file));
    await target.storage.put(key, measured.stream);
    if (!sameSum(measured.sum(), object)) {
      await target.storage.delete(key);
      throw new Error(`${object.file} (${object.key}): checksum mismatch`);
    }
  }

  await dropSchema(target);
  if (manifest.migration !== null) {
    await migrateTo(target.database, target.databaseConfig, manifest.migration);
  }
  report.rows = await target.database.transaction(async (trx) => {
    const measured = metered(await backup.open(manifest.rows.file));
    const trxDb = trx.withoutPlugins() as unknown as AnyDb;
    const counts = await loadRows(trxDb, measured.stream);
    if (!sameSum(measured.sum(), manifest.rows)) {
      throw new Error(`${manifest.rows.file}: checksum mismatch`);
    }
    await resetSequences(trxDb, target.database.dialect);
    return counts;
  });
  await migrateToLatest(target.database, target.databaseConfig);
  // The run that took this backup was still running in the copy; it is not running here.
  await createBackupRunsRepo().failRunning(
    target.database.db,
    'interrupted: the installation was restored from a backup',
    new Date().toISOString(),
  );
  return report;
}
