import type { Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Deduplication of public analytics (issue 9): a visitor's page view or event is counted once
 * per window. `visit_salts` holds one random secret per UTC day, shared by every instance and
 * deleted after the day, so the visitor hashes in `visit_dedup` cannot be traced back to an IP
 * address once the day is over. Nothing personal is stored.
 */
export function visitDedup(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('visit_salts')
        /** `YYYY-MM-DD`, UTC. */
        .addColumn('day', 'text', (c) => c.primaryKey())
        .addColumn('salt', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('visit_dedup')
        /** Keyed hash of (day's salt, portrait, what was counted, IP address, user agent). */
        .addColumn('key', 'text', (c) => c.primaryKey())
        /** Until then the same visitor's same view or event is not counted again. */
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('visit_dedup_expires_at_idx')
        .on('visit_dedup')
        .column('expires_at')
        .execute();
    },
  };
}
