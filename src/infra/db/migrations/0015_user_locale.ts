import { sql, type Kysely } from 'kysely';

/**
 * Issue 12: the admin app's language is the person's choice, saved on their account so it
 * follows them to another browser. Null: never chosen (the browser's `Accept-Language`, then
 * `DEFAULT_LOCALE`, decide).
 */
export function userLocale() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('users')
        .addColumn('locale', 'text', (c) => c.check(sql`locale in ('ru', 'en')`))
        .execute();
    },
  };
}
