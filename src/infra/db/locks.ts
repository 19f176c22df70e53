import { sql, type Transaction } from 'kysely';
import type { SqlDialect } from './database.js';
import type { DB } from './schema.js';

/*
 * The two ways the application serialises writers, each the only place that knows the
 * dialects differ. SQLite needs neither: its single writer connection runs one transaction at
 * a time.
 */

/** Locks the selected rows until the transaction ends (`for update`) on PostgreSQL. */
export function forUpdate<Q extends { forUpdate(): Q }>(query: Q, dialect: SqlDialect): Q {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/**
 * Holds a named lock until `trx` ends, for writers that have no row to lock (appending to the
 * audit chain, replacing a studio asset): a transaction-scoped advisory lock on PostgreSQL.
 */
export async function lockNamed(
  trx: Transaction<DB>,
  dialect: SqlDialect,
  name: string,
): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  }
}
