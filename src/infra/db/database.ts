import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CamelCasePlugin,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type LogEvent,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../../config.js';
import type { DB } from './schema.js';
import { createTransactions } from './transaction.js';

export type SqlDialect = 'sqlite' | 'postgres';

/** The database or an open transaction: repositories accept either. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: SqlDialect;
  /** Runs `work` in a transaction, then the callbacks `afterCommit` registered in it. */
  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** Runs `callback` once `executor`'s transaction has committed (at once outside one). */
  afterCommit(executor: Executor, callback: () => void): void;
  /** PostgreSQL pool figures for metrics/readiness; `undefined` for SQLite. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } | undefined;
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;

/** Timestamps come back as ISO strings and int8 (counts, sizes) as numbers, like SQLite. */
function pgTypes(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(PG_TIMESTAMPTZ, (value) => new Date(value).toISOString());
  types.setTypeParser(PG_TIMESTAMP, (value) => new Date(`${value}Z`).toISOString());
  types.setTypeParser(PG_INT8, Number);
  return types;
}

export function createDatabase(
  config: DatabaseConfig,
  hooks: { onQueryError?: () => void } = {},
): Database {
  const plugins = [new CamelCasePlugin()];
  const log = (event: LogEvent) => {
    if (event.level === 'error') hooks.onQueryError?.();
  };

  if (config.kind === 'sqlite') {
    // Private to the service account: SQLite would create the file 0644, and its -wal and
    // -shm files copy the database file's mode, so creating it 0600 first covers all three.
    mkdirSync(path.dirname(config.file), { recursive: true, mode: 0o700 });
    closeSync(openSync(config.file, 'a', 0o600));
    const sqlite = new BetterSqlite3(config.file);
    // WAL lets readers run during a write; foreign keys are off by default in SQLite.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }), plugins, log });
    return {
      db,
      dialect: 'sqlite',
      ...createTransactions(db),
      poolStats: () => undefined,
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      destroy: () => db.destroy(),
    };
  }

  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    options: `-c search_path=${config.schema}`,
    types: pgTypes(),
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins, log });
  return {
    db,
    dialect: 'postgres',
    ...createTransactions(db),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: config.poolMax,
    }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    destroy: () => db.destroy(),
  };
}
