import type { Selectable } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import type { UsersTable } from '../../infra/db/schema.js';

export type UserRow = Selectable<UsersTable>;

export function createUsersRepo({ db }: Database) {
  return {
    findById: (id: string): Promise<UserRow | undefined> =>
      db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    findByUsername: (username: string): Promise<UserRow | undefined> =>
      db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),

    list: (): Promise<UserRow[]> =>
      db.selectFrom('users').selectAll().orderBy('username').execute(),

    async count(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return row.n;
    },

    async insert(user: UserRow): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },

    async updatePassword(id: string, passwordHash: string, at: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ passwordHash, passwordChangedAt: at, updatedAt: at })
        .where('id', '=', id)
        .execute();
    },

    async update(
      id: string,
      changes: { role?: UserRow['role']; disabledAt?: string | null },
      at: string,
    ): Promise<void> {
      await db
        .updateTable('users')
        .set({ ...changes, updatedAt: at })
        .where('id', '=', id)
        .execute();
    },

    /** Revokes every live session of the user except `keepSessionId` (the caller's own). */
    async revokeOtherSessions(userId: string, keepSessionId: string, at: string): Promise<void> {
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

export type UsersRepo = ReturnType<typeof createUsersRepo>;
