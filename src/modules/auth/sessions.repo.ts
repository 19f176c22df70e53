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

    async touch(db: Executor, id: string, at: string): Promise<void> {
      await db.updateTable('sessions').set({ lastSeenAt: at }).where('id', '=', id).execute();
    },

    async revoke(db: Executor, id: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .execute();
    },

    async revokeAllForUser(db: Executor, userId: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revokedAt: at })
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
    ): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('userId', '=', userId)
        .where('id', '!=', keepSessionId)
        .where('revokedAt', 'is', null)
        .execute();
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
