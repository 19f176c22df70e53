import type { Kysely } from 'kysely';
import type { SqlDialect } from '../database.js';
import { columnTypes } from './column-types.js';

/**
 * Issue 12 (bulk orders): `POST /api/orders` with an `Idempotency-Key` remembers the key, per
 * user, with a fingerprint of what was sent and the answer it got. The same key sent again
 * (a retry after a network drop the server had survived) gets the same answer and creates
 * nothing; the same key with another body is refused. The primary key is the guard against two
 * retries racing: exactly one insert wins. No foreign key to `orders`: the row only replays an
 * answer, it never has to follow the order.
 */
export function orderIdempotency(dialect: SqlDialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('order_idempotency_keys')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        /** SHA-256 (hex) of the fields and of each file's SHA-256. */
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        /** The 202 answer's JSON, replayed as is. */
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('order_idempotency_keys_pkey', ['user_id', 'key'])
        .execute();
    },
  };
}
