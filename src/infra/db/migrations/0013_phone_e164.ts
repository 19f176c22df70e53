import { sql, type Kysely } from 'kysely';
import { normalisePhone, type PhoneRegion } from '../../../shared/phone.js';

/** Where a migration writes what it found (the process's logger; a `say` for the CLI). */
export interface MigrationLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface PhoneMigrationReport {
  /** Rows whose phone was rewritten to E.164. */
  renormalised: number;
  /** Rows left as they were because their phone is not a valid number (edit them by hand). */
  invalid: number;
  /** Rows left with their old phone because another client holds its E.164 form. */
  collisions: number;
  /** Those rows' ids (at most 100), for the log; the admin app lists them all. */
  collidingClientIds: string[];
}

interface StoredPhone {
  id: string;
  phone: string;
}

/**
 * Issue 12: phones were stored as typed minus punctuation ("89123456789", "9123456789",
 * "+79123456789" were three clients); from now on they are E.164, read in `region`. Rows that
 * now mean the same number are not merged here: one keeps the number (the row that already
 * has the E.164 form, else the oldest), the others keep their old value, which no new write
 * can produce, so `GET /api/clients/collisions` finds them and a person merges them (or not).
 * Invalid numbers are left too. Re-running it after a crash half-way changes nothing twice.
 */
export function phoneE164(options: { region: PhoneRegion; logger?: MigrationLogger }) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const report = await renormalisePhones(db, options.region);
      const details = { migration: '0013_phone_e164', region: options.region, ...report };
      if (report.collisions > 0) {
        options.logger?.warn(
          details,
          `${report.collisions} client(s) have the same phone number as another client: ` +
            'merge them in the admin app (Clients) or correct their numbers',
        );
      } else {
        options.logger?.info(details, 'phone numbers renormalised to E.164');
      }
    },
  };
}

/** Rewrites every phone to E.164 where that collides with no other client; what it did. */
export async function renormalisePhones(
  db: Kysely<unknown>,
  region: PhoneRegion,
): Promise<PhoneMigrationReport> {
  const { rows } = await sql<StoredPhone>`
    select id, phone from clients order by created_at, id`.execute(db);
  const byNumber = new Map<string, StoredPhone[]>();
  let invalid = 0;
  for (const row of rows) {
    const number = normalisePhone(row.phone, region);
    if (number === null) {
      invalid += 1;
      continue;
    }
    byNumber.set(number, [...(byNumber.get(number) ?? []), row]);
  }
  let renormalised = 0;
  const colliding: string[] = [];
  for (const [number, group] of byNumber) {
    // The unique constraint on clients.phone: the row already stored as E.164 cannot move.
    const keeper = group.find((row) => row.phone === number) ?? group[0];
    if (keeper === undefined) continue;
    if (keeper.phone !== number) {
      await sql`update clients set phone = ${number} where id = ${keeper.id}`.execute(db);
      renormalised += 1;
    }
    colliding.push(...group.filter((row) => row !== keeper).map((row) => row.id));
  }
  return {
    renormalised,
    invalid,
    collisions: colliding.length,
    collidingClientIds: colliding.slice(0, 100),
  };
}
