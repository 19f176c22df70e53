import type { Selectable } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import type { SessionsTable } from '../../infra/db/schema.js';

export type SessionRow = Selectable<SessionsTable>;

export function createSessionsRepo({ db }: Database) {
  return {
    async insert(session: SessionRow): Promise<void> {
      await db.insertInto('sessions').values(session).execute();
    },

    findById: (id: string): Promise<SessionRow | undefined> =>
      db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),

    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('sessions').set({ lastSeenAt: at }).where('id', '=', id).execute();
    },

    async revoke(id: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .execute();
    },

    async revokeAllForUser(userId: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revokedAt: at })
        .where('userId', '=', userId)
        .where('revokedAt', 'is', null)
        .execute();
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
