import type { Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Failed-login counters (issue 9): one row per (account, client IP), plus one row per account
 * with ip `*` counting failures from every IP. Kept in the database so a restart keeps a lock.
 * `account_key` is the user id, or `unknown:<keyed hash of the typed name>` for a name that
 * names no user (guessing names is slowed too, and the name itself is never stored).
 */
export function loginFailures(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('login_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_key', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_failure_at', t.timestamp, (c) => c.notNull())
        .addColumn('locked_until', t.timestamp)
        .addUniqueConstraint('login_failures_account_ip_key', ['account_key', 'ip'])
        .execute();
      await db.schema
        .createIndex('login_failures_locked_until_idx')
        .on('login_failures')
        .column('locked_until')
        .execute();
    },
  };
}
