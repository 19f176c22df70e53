import type { Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';

/**
 * Daily analytics counters per portrait: one row per (portrait, UTC day), incremented with an
 * upsert so concurrent page views and events never lose a count.
 */
export function portraitStats(_dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('portrait_stats_daily')
        .addColumn('portrait_id', 'text', (c) =>
          c.notNull().references('portraits.id').onDelete('cascade'),
        )
        /** `YYYY-MM-DD`, UTC. */
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('page_views', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ar_starts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('markers_found', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('video_plays', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('portrait_stats_daily_pk', ['portrait_id', 'day'])
        .execute();
      // Summaries over all portraits read by day.
      await db.schema
        .createIndex('portrait_stats_daily_day_idx')
        .on('portrait_stats_daily')
        .column('day')
        .execute();
    },
  };
}
