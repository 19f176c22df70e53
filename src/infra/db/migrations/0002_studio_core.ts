import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/** Clients, portraits, videos, markers, orders and the persisted job queue. */
export function studioCore(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('clients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('portraits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) =>
          c.notNull().references('clients.id').onDelete('cascade'),
        )
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('processing', 'ready', 'failed')`),
        )
        .addColumn('error', 'text')
        .addColumn('original_key', 'text', (c) => c.notNull())
        .addColumn('original_format', 'text', (c) => c.notNull())
        .addColumn('original_size', t.bigint, (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        /** Set when the display copy and thumbnails exist. */
        .addColumn('images_ready_at', t.timestamp)
        .addColumn('images_error', 'text')
        .addColumn('marker_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('view_count', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portraits_client_id_idx')
        .on('portraits')
        .column('client_id')
        .execute();
      await db.schema
        .createIndex('portraits_status_idx')
        .on('portraits')
        .column('status')
        .execute();

      await db.schema
        .createTable('markers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('portrait_id', 'text', (c) =>
          c.notNull().references('portraits.id').onDelete('cascade'),
        )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('processing', 'ready', 'failed')`),
        )
        .addColumn('error_code', 'text')
        .addColumn('error', 'text')
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('dpi', 'real')
        .addColumn('width_mm', 'real')
        .addColumn('height_mm', 'real')
        .addColumn('tracking_points', 'integer')
        .addColumn('freak_points', 'integer')
        .addColumn('quality_score', 'integer')
        /** JSON array of advice strings. */
        .addColumn('quality_advice', 'text')
        .addColumn('self_test_found', 'integer')
        .addColumn('self_test_corner_error_px', 'real')
        /** JSON: sizes of the stored files and timings. */
        .addColumn('metrics', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('markers_portrait_version_unique', ['portrait_id', 'version'])
        .execute();

      await db.schema
        .createTable('videos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('portrait_id', 'text', (c) =>
          c.notNull().references('portraits.id').onDelete('cascade'),
        )
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('processing', 'ready', 'failed')`),
        )
        .addColumn('error', 'text')
        /** 1 for the one active video of its portrait, NULL otherwise (see the unique index). */
        .addColumn('active', 'integer', (c) => c.check(sql`active is null or active = 1`))
        .addColumn('original_key', 'text', (c) => c.notNull())
        .addColumn('original_format', 'text', (c) => c.notNull())
        .addColumn('original_size', t.bigint, (c) => c.notNull())
        .addColumn('playable_key', 'text')
        .addColumn('poster_key', 'text')
        .addColumn('duration_seconds', 'real')
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('size_bytes', t.bigint)
        .addColumn('transcoded', 'integer')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('videos_portrait_id_idx')
        .on('videos')
        .column('portrait_id')
        .execute();
      // Exactly one active video per portrait, enforced by the database: NULLs never collide.
      await db.schema
        .createIndex('videos_one_active_per_portrait')
        .on('videos')
        .columns(['portrait_id', 'active'])
        .unique()
        .execute();

      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('client_id', 'text', (c) =>
          c.notNull().references('clients.id').onDelete('cascade'),
        )
        .addColumn('portrait_id', 'text', (c) =>
          c.notNull().references('portraits.id').onDelete('cascade'),
        )
        .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('orders_created_at_idx')
        .on('orders')
        .column('created_at')
        .execute();

      await db.schema
        .createTable('counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', t.bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** `{kind}:{entityId}:{version}`: enqueuing the same work twice is a no-op. */
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_after', t.timestamp, (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', t.timestamp)
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('jobs_claim_idx')
        .on('jobs')
        .columns(['status', 'run_after'])
        .execute();
    },
  };
}
