import type { Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Files the studio uploads about itself (today only `logo`, shown on the public page): one row
 * per asset name, pointing at the stored file. No row = no such asset.
 */
export function studioAssets(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('studio_assets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('storage_key', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        /** Hex SHA-256 of the stored bytes: the HTTP ETag and the cache-busting URL version. */
        .addColumn('etag', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('size_bytes', t.bigint, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
