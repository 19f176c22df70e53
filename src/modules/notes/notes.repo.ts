import type { Executor } from '../../infra/db/database.js';

/** Which rows carry notes: an order or a client. */
export type NotesTarget = 'order' | 'client';

const TABLE = { order: 'orders', client: 'clients' } as const;

export function createNotesRepo() {
  return {
    /** The note of the order or client; undefined when there is no such row. */
    async find(
      db: Executor,
      target: NotesTarget,
      id: string,
    ): Promise<{ notes: string | null } | undefined> {
      return db.selectFrom(TABLE[target]).select('notes').where('id', '=', id).executeTakeFirst();
    },

    async set(
      db: Executor,
      target: NotesTarget,
      id: string,
      notes: string | null,
      now: string,
    ): Promise<void> {
      if (target === 'client') {
        await db
          .updateTable('clients')
          .set({ notes, updatedAt: now })
          .where('id', '=', id)
          .execute();
      } else {
        // Orders have no `updated_at`: the audit entry says when.
        await db.updateTable('orders').set({ notes }).where('id', '=', id).execute();
      }
    },

    /** The notes of these clients (`id` → note; clients without one are left out). */
    async ofClients(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('clients')
        .select(['id', 'notes'])
        .where('id', 'in', ids)
        .where('notes', 'is not', null)
        .execute();
      return new Map(rows.flatMap((row) => (row.notes === null ? [] : [[row.id, row.notes]])));
    },
  };
}

export type NotesRepo = ReturnType<typeof createNotesRepo>;
