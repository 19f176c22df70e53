import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { SsoLinksTable } from '../../infra/db/schema.js';

export type SsoLinkRow = Selectable<SsoLinksTable>;

/** Queries of single sign-on: the links, and the account fields sign-on changes. */
export function createSsoRepo() {
  return {
    findBySubject: (
      db: Executor,
      provider: string,
      subject: string,
    ): Promise<SsoLinkRow | undefined> =>
      db
        .selectFrom('ssoLinks')
        .selectAll()
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .executeTakeFirst(),

    findForUser: (
      db: Executor,
      userId: string,
      provider: string,
    ): Promise<SsoLinkRow | undefined> =>
      db
        .selectFrom('ssoLinks')
        .selectAll()
        .where('userId', '=', userId)
        .where('provider', '=', provider)
        .executeTakeFirst(),

    listForUser: (db: Executor, userId: string): Promise<SsoLinkRow[]> =>
      db
        .selectFrom('ssoLinks')
        .selectAll()
        .where('userId', '=', userId)
        .orderBy('provider')
        .execute(),

    async insert(db: Executor, link: SsoLinkRow): Promise<void> {
      await db.insertInto('ssoLinks').values(link).execute();
    },

    async touch(db: Executor, provider: string, subject: string, email: string | null, at: string) {
      await db
        .updateTable('ssoLinks')
        .set({ email, lastLoginAt: at })
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .execute();
    },

    async remove(db: Executor, userId: string, provider: string): Promise<void> {
      await db
        .deleteFrom('ssoLinks')
        .where('userId', '=', userId)
        .where('provider', '=', provider)
        .execute();
    },

    findUserIdByEmail: async (db: Executor, email: string): Promise<string | undefined> =>
      (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id,

    async countActiveAdmins(db: Executor): Promise<number> {
      const row = await db
        .selectFrom('users')
        // PostgreSQL answers count(*) as a bigint string, SQLite as a number.
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('role', '=', 'admin')
        .where('disabledAt', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async setPasswordLoginDisabled(
      db: Executor,
      userId: string,
      disabled: boolean,
      at: string,
    ): Promise<void> {
      await db
        .updateTable('users')
        .set({ passwordLoginDisabled: disabled ? 1 : 0, updatedAt: at })
        .where('id', '=', userId)
        .execute();
    },
  };
}

export type SsoRepo = ReturnType<typeof createSsoRepo>;
