import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DatabaseConfig } from '../../config.js';
import type { Database } from '../../infra/db/database.js';
import { dumpRows } from './database-rows.js';
import type { FileSum } from './streams.js';

/** libpq settings from the URL, so the password never appears on a command line. */
export function pgEnv(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: parsed.hostname,
    PGPORT: parsed.port || '5432',
  };
  if (parsed.username !== '') env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password !== '') env.PGPASSWORD = decodeURIComponent(parsed.password);
  env.PGDATABASE = decodeURIComponent(parsed.pathname.slice(1));
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null) env.PGSSLMODE = sslmode;
  return env;
}

/** Collects a child's stderr and rejects with it when the exit code is not 0. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout?: (out: Readable) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (stdout && child.stdout) stdout(child.stdout);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${String(code)}: ${stderr.trim()}`));
    });
  });
}

export interface SnapshotSinks {
  /** The native copy: a SQLite database file or a `pg_dump --format=custom` archive. */
  native: (dump: Readable) => Promise<FileSum>;
  /** The portable copy (`database-rows.ts`). */
  rows: (rows: Readable) => Promise<FileSum>;
}

/**
 * Both copies of the database from one consistent snapshot while the server writes. SQLite:
 * the online backup API copies the live database page by page into `<work>/snapshot`, and both
 * copies are read from that file. PostgreSQL: a repeatable-read transaction exports its
 * snapshot; `pg_dump --snapshot` dumps exactly that state while the rows are read in it.
 */
export async function snapshotDatabase(
  database: Database,
  config: DatabaseConfig,
  work: string,
  sinks: SnapshotSinks,
): Promise<{ native: FileSum; rows: FileSum }> {
  if (config.kind === 'sqlite') {
    const file = path.join(work, 'snapshot');
    const source = new BetterSqlite3(config.file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(file);
    } finally {
      source.close();
    }
    const copy = new Kysely<unknown>({
      dialect: new SqliteDialect({
        database: new BetterSqlite3(file, { readonly: true, fileMustExist: true }),
      }),
    });
    try {
      const rows = await sinks.rows(dumpRows(copy, 'sqlite'));
      const native = await sinks.native(createReadStream(file));
      return { native, rows };
    } finally {
      await copy.destroy();
    }
  }
  const { url, schema } = config;
  return database.db.connection().execute(async (connection) => {
    const db = connection.withoutPlugins() as unknown as Kysely<unknown>;
    await sql`begin isolation level repeatable read read only`.execute(db);
    try {
      const { rows } = await sql<{
        id: string;
      }>`select pg_export_snapshot() as id`.execute(db);
      let native: Promise<FileSum> | undefined;
      const dumped = run(
        'pg_dump',
        ['--format=custom', `--schema=${schema}`, '--no-owner', `--snapshot=${rows[0]?.id ?? ''}`],
        pgEnv(url),
        (out) => {
          native = sinks.native(out);
          native.catch(() => undefined); // a failing pg_dump rejects `dumped` first
        },
      );
      const portable = await sinks.rows(dumpRows(db, 'postgres'));
      await dumped;
      if (native === undefined) throw new Error('pg_dump produced no output');
      return { native: await native, rows: portable };
    } finally {
      await sql`commit`.execute(db);
    }
  });
}

/** Opens a restored copy: `pragma integrity_check` (SQLite) or `pg_restore --list` (PostgreSQL). */
export async function checkDatabaseCopy(
  dialect: 'sqlite' | 'postgres',
  file: string,
): Promise<string | null> {
  if (dialect === 'sqlite') {
    let copy: BetterSqlite3.Database | undefined;
    try {
      copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
      const result = copy.pragma('integrity_check', { simple: true });
      return result === 'ok' ? null : `integrity_check: ${String(result)}`;
    } catch (error) {
      return (error as Error).message;
    } finally {
      copy?.close();
    }
  }
  try {
    await run('pg_restore', ['--list', file], process.env);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
