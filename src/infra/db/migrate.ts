import { Migrator, sql, type MigrationResult, type MigrationResultSet } from 'kysely';
import type { DatabaseConfig } from '../../config.js';
import type { Database } from './database.js';
import { allMigrations, type MigrationOptions } from './migrations/index.js';

export interface MigrationReport {
  applied: string[];
}

/**
 * Applies every pending migration. Safe to run on every start and from several instances at
 * once (Kysely takes a lock: an advisory lock on PostgreSQL, the single writer on SQLite).
 */
export async function migrateToLatest(
  database: Database,
  config: DatabaseConfig,
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  return migrate(database, config, options, (migrator) => migrator.migrateToLatest());
}

/** Applies the migrations up to and including `name` (a restore loads rows at their version). */
export async function migrateTo(
  database: Database,
  config: DatabaseConfig,
  name: string,
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  return migrate(database, config, options, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  database: Database,
  config: DatabaseConfig,
  options: MigrationOptions,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationReport> {
  const schema = config.kind === 'postgres' ? config.schema : undefined;
  if (schema !== undefined) await ensureSchema(database, schema);
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(allMigrations(database.dialect, options)) },
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await run(migrator);
  const failed = results?.find((r: MigrationResult) => r.status === 'Error');
  if (error !== undefined) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(
      `database migration failed${name}: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}

/**
 * `create schema if not exists` is not race-free in PostgreSQL: when two instances start at
 * once, one may fail with a unique violation on `pg_namespace`. That is fine if the schema exists.
 */
async function ensureSchema(database: Database, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(database.db);
  } catch (error) {
    const { rows } = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(
      database.db,
    );
    if (rows.length === 0) throw error;
  }
}
