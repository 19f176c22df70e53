import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Issue 13: two-factor sign-in.
 * - `user_two_factor`: one row per account that started TOTP enrolment. The secret is stored
 *   encrypted (AES-256-GCM, key derived from the session secret); `totp_pending_secret` holds an
 *   enrolment not yet confirmed; `totp_last_step` is the last accepted time step (replay guard).
 * - `two_factor_backup_codes`: keyed hashes of the backup codes, each usable once.
 * - `login_challenges`: the second step of a sign-in; the id is the SHA-256 of the token handed
 *   to the client, bound to the first step's client (keyed hash of IP + user agent).
 * - `two_factor_email_codes`: keyed hashes of codes sent by e-mail (also the send log the rate
 *   limit counts).
 * - `sessions.enrolment_only`: a session that may only enrol a second factor (`REQUIRE_2FA`).
 */
export function twoFactor(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('sessions')
        .addColumn('enrolment_only', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(0)
            .check(sql`enrolment_only in (0, 1)`),
        )
        .execute();

      await db.schema
        .createTable('user_two_factor')
        .addColumn('user_id', 'text', (c) =>
          c.primaryKey().references('users.id').onDelete('cascade'),
        )
        .addColumn('totp_secret', 'text')
        .addColumn('totp_pending_secret', 'text')
        .addColumn('totp_enabled_at', t.timestamp)
        .addColumn('totp_last_step', 'integer')
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('two_factor_backup_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('used_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('two_factor_backup_codes_user_hash')
        .on('two_factor_backup_codes')
        .columns(['user_id', 'code_hash'])
        .execute();

      await db.schema
        .createTable('login_challenges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('client_hash', 'text', (c) => c.notNull())
        /** JSON of the first step's `SignInVia`. */
        .addColumn('first_factor', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('used_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('login_challenges_expires_at')
        .on('login_challenges')
        .column('expires_at')
        .execute();

      await db.schema
        .createTable('two_factor_email_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('challenge_id', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('used_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('two_factor_email_codes_user_created')
        .on('two_factor_email_codes')
        .columns(['user_id', 'created_at'])
        .execute();
    },
  };
}
