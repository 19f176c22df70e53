import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { LoginFailuresTable } from '../../infra/db/schema.js';

export type LoginFailureRow = Selectable<LoginFailuresTable>;

/** The `ip` of an account's row that counts failures from every IP. */
export const ALL_IPS = '*';

export interface FailureKey {
  accountKey: string;
  ip: string;
}

export interface LockedRow extends LoginFailureRow {
  lockedUntil: string;
  /** The user's current name; null for an `unknown:` account key. */
  username: string | null;
}

/** Queries of the login_failures table (and the one sessions lookup the lockout needs). */
export function createLoginFailuresRepo() {
  return {
    find: (db: Executor, key: FailureKey): Promise<LoginFailureRow | undefined> =>
      db
        .selectFrom('loginFailures')
        .selectAll()
        .where('accountKey', '=', key.accountKey)
        .where('ip', '=', key.ip)
        .executeTakeFirst(),

    findById: (db: Executor, id: string): Promise<LoginFailureRow | undefined> =>
      db.selectFrom('loginFailures').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * Adds one failure in a single statement (concurrent failures cannot lose a count) and
     * returns the row. A window that started at or before `windowCutoff` and holds no live lock
     * starts over at 1.
     */
    increment: (
      db: Executor,
      row: { id: string; userId: string | null; now: string; windowCutoff: string } & FailureKey,
    ): Promise<LoginFailureRow> => {
      const expired = sql`(login_failures.window_started_at <= ${row.windowCutoff} and (login_failures.locked_until is null or login_failures.locked_until <= ${row.now}))`;
      return db
        .insertInto('loginFailures')
        .values({
          id: row.id,
          accountKey: row.accountKey,
          userId: row.userId,
          ip: row.ip,
          failures: 1,
          windowStartedAt: row.now,
          lastFailureAt: row.now,
          lockedUntil: null,
        })
        .onConflict((oc) =>
          oc.columns(['accountKey', 'ip']).doUpdateSet({
            failures: sql<number>`case when ${expired} then 1 else login_failures.failures + 1 end`,
            windowStartedAt: sql<string>`case when ${expired} then excluded.window_started_at else login_failures.window_started_at end`,
            lockedUntil: sql<
              string | null
            >`case when ${expired} then null else login_failures.locked_until end`,
            lastFailureAt: sql<string>`excluded.last_failure_at`,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** Gives back a counted attempt that never reached the password check. */
    async decrement(db: Executor, key: FailureKey): Promise<void> {
      await db
        .updateTable('loginFailures')
        .set((eb) => ({ failures: eb('failures', '-', 1) }))
        .where('accountKey', '=', key.accountKey)
        .where('ip', '=', key.ip)
        .where('failures', '>', 0)
        .execute();
    },

    /** Locks the row until `until`; false when another request locked it first. */
    async lock(db: Executor, id: string, until: string, now: string): Promise<boolean> {
      const locked = await db
        .updateTable('loginFailures')
        .set({ lockedUntil: until })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
        .returning('id')
        .executeTakeFirst();
      return locked !== undefined;
    },

    async clear(db: Executor, key: FailureKey): Promise<void> {
      await db
        .deleteFrom('loginFailures')
        .where('accountKey', '=', key.accountKey)
        .where('ip', '=', key.ip)
        .execute();
    },

    /** Deletes the row (lifting its lock and its count); returns it, or undefined. */
    remove: (db: Executor, id: string): Promise<LoginFailureRow | undefined> =>
      db.deleteFrom('loginFailures').where('id', '=', id).returningAll().executeTakeFirst(),

    /** Every lock still in force, newest first, with the user's name when there is one. */
    listLocked: async (db: Executor, now: string): Promise<LockedRow[]> => {
      const rows = await db
        .selectFrom('loginFailures')
        .leftJoin('users', 'users.id', 'loginFailures.userId')
        .selectAll('loginFailures')
        .select('users.username')
        .where('loginFailures.lockedUntil', '>', now)
        .orderBy('loginFailures.lockedUntil', 'desc')
        .limit(500)
        .execute();
      return rows.map((row) => ({ ...row, lockedUntil: row.lockedUntil ?? now }));
    },

    /** Whether the user logged in from this IP since `since` (a device they use). */
    async hasSessionFrom(
      db: Executor,
      userId: string,
      ip: string,
      since: string,
    ): Promise<boolean> {
      const row = await db
        .selectFrom('sessions')
        .select('id')
        .where('userId', '=', userId)
        .where('ip', '=', ip)
        .where('createdAt', '>=', since)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type LoginFailuresRepo = ReturnType<typeof createLoginFailuresRepo>;
