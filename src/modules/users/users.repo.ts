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
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
