import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';

/**
 * PostgreSQL `real` is a 4-byte float, SQLite `real` an 8-byte one: the same measurement read
 * back differently per backend (1.9443818 vs 1.944381791903658), and a SQLite installation moved
 * to PostgreSQL by backup/restore lost digits. Every fractional column becomes `double precision`.
 */
export function doublePrecision(dialect: SqlDialect) {
  const columns = {
    markers: ['dpi', 'width_mm', 'height_mm', 'self_test_corner_error_px'],
    videos: ['duration_seconds'],
  };
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const [table, names] of Object.entries(columns)) {
        for (const column of names) {
          await sql`alter table ${sql.id(table)} alter column ${sql.id(column)} type double precision`.execute(
            db,
          );
        }
      }
    },
  };
}
