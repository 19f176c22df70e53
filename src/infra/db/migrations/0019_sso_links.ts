import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Issue 13: single sign-on.
 * - `sso_links`: an account's identity at a provider, found again by the provider's own
 *   subject (never by e-mail once linked). One account per (provider, subject) and one link per
 *   (account, provider): a second identity of the same provider cannot take over the account.
 * - `users.password_login_disabled`: 1 when the person signs in only through a provider; the
 *   password login then answers as for a wrong password.
 */
export function ssoLinks(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sso_links')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        /** The provider's e-mail at the last sign-in, shown on the account page. */
        .addColumn('email', 'text')
        .addColumn('linked_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_login_at', t.timestamp)
        .addPrimaryKeyConstraint('sso_links_pkey', ['provider', 'subject'])
        .addUniqueConstraint('sso_links_user_provider_key', ['user_id', 'provider'])
        .execute();

      await db.schema
        .alterTable('users')
        .addColumn('password_login_disabled', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(0)
            .check(sql`password_login_disabled in (0, 1)`),
        )
        .execute();
    },
  };
}
