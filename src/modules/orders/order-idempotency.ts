import { createHash } from 'node:crypto';
import type { Executor } from '../../infra/db/database.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import { AppError } from '../../shared/errors.js';
import type { OrderAccepted } from './orders.schemas.js';

/** Printable ASCII, as clients send UUIDs or `bulk-<batch>-<n>`; long enough for either. */
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The `Idempotency-Key` header of `POST /api/orders`: undefined when absent, else checked
 * (400 `validation_failed` naming the header) before any of the upload is read.
 */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new AppError(
      'validation_failed',
      400,
      'Idempotency-Key must be 1-200 printable characters',
      [{ field: 'Idempotency-Key', message: 'must be 1-200 printable ASCII characters' }],
    );
  }
  return header;
}

/** What was sent, as a hash: the text fields as typed and each file's SHA-256. */
export function fingerprintOf(upload: ReceivedUpload): string {
  const fields = Object.keys(upload.fields)
    .sort()
    .map((name) => [name, upload.fields[name]]);
  const files = Object.keys(upload.files)
    .sort()
    .map((name) => [name, upload.files[name]?.sha256]);
  return createHash('sha256').update(JSON.stringify({ fields, files })).digest('hex');
}

export interface IdempotencyRecord {
  userId: string;
  key: string;
  fingerprint: string;
  orderId: string;
  response: OrderAccepted;
  createdAt: string;
}

export const orderIdempotencyRepo = {
  async find(
    db: Executor,
    userId: string,
    key: string,
  ): Promise<{ fingerprint: string; response: OrderAccepted } | undefined> {
    const row = await db
      .selectFrom('orderIdempotencyKeys')
      .select(['fingerprint', 'response'])
      .where('userId', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { fingerprint: row.fingerprint, response: JSON.parse(row.response) as OrderAccepted };
  },

  async insert(db: Executor, record: IdempotencyRecord): Promise<void> {
    await db
      .insertInto('orderIdempotencyKeys')
      .values({ ...record, response: JSON.stringify(record.response) })
      .execute();
  },
};

/** The stored answer for a repeat of the same request, or 422 when the key meant another. */
export function replay(
  stored: { fingerprint: string; response: OrderAccepted },
  fingerprint: string,
): OrderAccepted {
  if (stored.fingerprint !== fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      422,
      'this Idempotency-Key was already used for a different order',
      { orderId: stored.response.order.id },
    );
  }
  return stored.response;
}
