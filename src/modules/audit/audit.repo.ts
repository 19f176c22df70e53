import { type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
import type { AuditLogTable, DB } from '../../infra/db/schema.js';
import { lockNamed } from '../../infra/db/locks.js';

export type AuditRow = Selectable<AuditLogTable>;

/** The audit log table: appends under a chain lock, and reads in insertion order. */
export function createAuditRepo(dialect: SqlDialect) {
  return {
    /** Serialises appends until `trx` ends: two writers cannot chain onto the same entry. */
    lockChain: (trx: Transaction<DB>): Promise<void> =>
      lockNamed(trx, dialect, 'vertex_ar.audit_log'),

    async lastHash(db: Executor): Promise<string | null> {
      const last = await db
        .selectFrom('auditLog')
        .select('hash')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return last?.hash ?? null;
    },

    async insert(db: Executor, row: Insertable<AuditLogTable>): Promise<void> {
      await db.insertInto('auditLog').values(row).execute();
    },

    /** Every entry in chain order, read a page at a time (the log only grows). */
    async *inOrder(db: Executor, pageSize = 500): AsyncGenerator<AuditRow> {
      let after = 0;
      for (;;) {
        const page = await db
          .selectFrom('auditLog')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq', 'asc')
          .limit(pageSize)
          .execute();
        yield* page;
        const last = page.at(-1);
        if (last === undefined || page.length < pageSize) return;
        after = last.seq;
      }
    },

    count: async (db: Executor): Promise<number> =>
      (
        await db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
