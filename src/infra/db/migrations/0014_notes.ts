import type { Kysely } from 'kysely';

/**
 * Issue 12: free-text notes of the studio on an order and on a client ("pick up on Friday",
 * "prefers WhatsApp"). Nullable: no note is NULL, not an empty string. The length limit is the
 * API's (`NOTES_MAX_LENGTH`), so raising it needs no migration.
 */
export function notes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('orders').addColumn('notes', 'text').execute();
      await db.schema.alterTable('clients').addColumn('notes', 'text').execute();
    },
  };
}
