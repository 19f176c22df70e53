import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { SessionsTable } from '../../infra/db/schema.js';

export type SessionRow = Selectable<SessionsTable>;

/** Queries of the sessions table; every function takes the database or an open transaction. */
export function createSessionsRepo() {
  return {
    async insert(db: Executor, session: SessionRow): Promise<void> {
      await db.insertInto('sessions').values(session).execute();
    },

    findById: (db: Executor, id: string): Promise<SessionRow | undefined> =>
      db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),

    /** The user's sessions not revoked and not past their absolute end, newest first. */
    listOpenForUser: (db: Executor, userId: string, now: string): Promise<SessionRow[]> =>
      db
        .selectFrom('sessions')
        .selectAll()
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null)
        .where('expiresAt', '>', now)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    async touch(db: Executor, id: string, at: string): Promise<void> {
      await db.updateTable('sessions').set({ lastSeenAt: at }).where('id', '=', id).execute();
    },

    /** Returns false when the session was already revoked. */
    async revoke(db: Executor, id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async revokeAllForUser(db: Executor, userId: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null)
        .execute();
    },

    /** Sets whether the session may only enrol a second factor (`REQUIRE_2FA`). */
    async setEnrolmentOnly(db: Executor, id: string, enrolmentOnly: boolean): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ enrolmentOnly: enrolmentOnly ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },

    /** Every open session of the user may only enrol again (2FA turned off under the policy). */
    async restrictAllOfUser(db: Executor, userId: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ enrolmentOnly: 1 })
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null)
        .execute();
    },

    /** Revokes every live session of the user except `keepSessionId` (the caller's own). */
    async revokeOthersOfUser(
      db: Executor,
      userId: string,
      keepSessionId: string,
      at: string,
    ): Promise<number> {
      const result = await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('userId', '=', userId)
        .where('id', '!=', keepSessionId)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
