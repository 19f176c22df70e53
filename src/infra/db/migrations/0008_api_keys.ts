import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * API keys for integrations. Only the SHA-256 of a key is stored (a 256-bit random secret needs
 * no slow hash); `prefix` is the key's visible start, so people can tell their keys apart.
 */
export function apiKeys(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'operator')`))
        .addColumn('created_by', 'text', (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp)
        .addColumn('last_used_at', t.timestamp)
        .addColumn('last_used_ip', 'text')
        .addColumn('revoked_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('api_keys_created_by_idx')
        .on('api_keys')
        .column('created_by')
        .execute();
    },
  };
}
