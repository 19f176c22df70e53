import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { UserLocale, UsersTable } from '../../infra/db/schema.js';

export type UserRow = Selectable<UsersTable>;

/** Queries of the users table; every function takes the database or an open transaction. */
export function createUsersRepo() {
  return {
    findById: (db: Executor, id: string): Promise<UserRow | undefined> =>
      db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    findByUsername: (db: Executor, username: string): Promise<UserRow | undefined> =>
      db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),

    list: (db: Executor): Promise<UserRow[]> =>
      db.selectFrom('users').selectAll().orderBy('username').execute(),

    /** Every user with whether two-factor sign-in (TOTP) is on (migration 0018). */
    async listWithTwoFactor(db: Executor): Promise<(UserRow & { twoFactorEnabled: boolean })[]> {
      const rows = await db
        .selectFrom('users')
        .leftJoin('userTwoFactor', 'userTwoFactor.userId', 'users.id')
        .selectAll('users')
        .select('userTwoFactor.totpEnabledAt')
        .orderBy('users.username')
        .execute();
      return rows.map(({ totpEnabledAt, ...user }) => ({
        ...user,
        twoFactorEnabled: totpEnabledAt !== null,
      }));
    },

    async count(db: Executor): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return row.n;
    },

    async insert(db: Executor, user: UserRow): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },

    async updatePassword(
      db: Executor,
      id: string,
      passwordHash: string,
      at: string,
    ): Promise<void> {
      await db
        .updateTable('users')
        .set({ passwordHash, passwordChangedAt: at, updatedAt: at })
        .where('id', '=', id)
        .execute();
    },

    async update(
      db: Executor,
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

    /** The person's admin-app language; null forgets the choice. */
    async updateLocale(
      db: Executor,
      id: string,
      locale: UserLocale | null,
      at: string,
    ): Promise<void> {
      await db.updateTable('users').set({ locale, updatedAt: at }).where('id', '=', id).execute();
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
