import type { Kysely } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { DB } from '../../infra/db/schema.js';

/** `visit_salts` and `visit_dedup` (migration 0009). */
interface VisitSaltsTable {
  day: string;
  salt: string;
}
interface VisitDedupTable {
  key: string;
  expiresAt: string;
}
type DedupTables = { visitSalts: VisitSaltsTable; visitDedup: VisitDedupTable };

const withDedup = (db: Executor) => (db as Kysely<DB>).withTables<DedupTables>();

export function createVisitDedupRepo() {
  return {
    /**
     * The day's salt: `candidate` when this call is the first of the day, else the one another
     * request or instance stored first (so all instances hash alike).
     */
    async saltFor(db: Executor, day: string, candidate: string): Promise<string> {
      await withDedup(db)
        .insertInto('visitSalts')
        .values({ day, salt: candidate })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
      const row = await withDedup(db)
        .selectFrom('visitSalts')
        .select('salt')
        .where('day', '=', day)
        .executeTakeFirstOrThrow();
      return row.salt;
    },

    /**
     * True when `key` is new or its window has ended (and starts a new window until
     * `expiresAt`); false inside the window. One statement, so concurrent requests of one
     * visitor get exactly one true.
     */
    async claim(db: Executor, key: string, now: string, expiresAt: string): Promise<boolean> {
      const rows = await withDedup(db)
        .insertInto('visitDedup')
        .values({ key, expiresAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ expiresAt }).where('visitDedup.expiresAt', '<=', now),
        )
        .returning('key')
        .execute();
      return rows.length > 0;
    },

    /** Forgets ended windows and the salts of days before `keepFromDay`. */
    async sweep(db: Executor, now: string, keepFromDay: string): Promise<void> {
      await withDedup(db).deleteFrom('visitDedup').where('expiresAt', '<=', now).execute();
      await withDedup(db).deleteFrom('visitSalts').where('day', '<', keepFromDay).execute();
    },
  };
}

export type VisitDedupRepo = ReturnType<typeof createVisitDedupRepo>;
