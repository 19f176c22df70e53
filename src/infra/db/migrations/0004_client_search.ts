import { sql, type Kysely } from 'kysely';
import { foldForSearch } from '../../../shared/search-text.js';
import type { SqlDialect } from '../database.js';

/**
 * Client search and list ordering: `clients.name_folded` (the name folded by `foldForSearch`,
 * written by the application; NULL for rows written without it, searched through `lower(name)`
 * then), and indexes for the `created_at desc, id desc` order of the admin lists.
 */
export function clientSearch(_dialect: SqlDialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('clients').addColumn('name_folded', 'text').execute();
      const { rows } = await sql<{
        id: string;
        name: string;
      }>`select id, name from clients`.execute(db);
      for (const row of rows) {
        await sql`update clients set name_folded = ${foldForSearch(row.name)} where id = ${row.id}`.execute(
          db,
        );
      }
      await db.schema
        .createIndex('clients_created_at_id_idx')
        .on('clients')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('portraits_created_at_id_idx')
        .on('portraits')
        .columns(['created_at', 'id'])
        .execute();
    },
  };
}
