import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import type { DatabaseConfig } from '../../config.js';

/** libpq settings from the URL, so the password never appears on a command line. */
function pgEnv(url: string): NodeJS.ProcessEnv {
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

/**
 * SQLite: the online backup API copies the live database page by page into `file` (a
 * consistent snapshot while the server writes). PostgreSQL: `pg_dump --format=custom` of the
 * schema, one transaction snapshot, streamed to `consume`.
 */
export async function snapshotDatabase(
  config: DatabaseConfig,
  file: string,
  consume: (dump: Readable) => Promise<void>,
): Promise<'file' | 'stream'> {
  if (config.kind === 'sqlite') {
    const source = new BetterSqlite3(config.file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(file);
    } finally {
      source.close();
    }
    return 'file';
  }
  let consumed: Promise<void> = Promise.resolve();
  await run(
    'pg_dump',
    ['--format=custom', `--schema=${config.schema}`, '--no-owner'],
    pgEnv(config.url),
    (out) => {
      consumed = consume(out);
    },
  );
  await consumed;
  return 'stream';
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
