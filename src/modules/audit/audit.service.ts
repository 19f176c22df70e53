import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import type { Clock } from '../../shared/clock.js';
import { uuidv7 } from '../../shared/ids.js';

export interface AuditEvent {
  action: string;
  actorUserId?: string | null;
  actorIp?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Stable text of an entry's content; the hash chain covers exactly these fields. */
function canonical(entry: Record<string, string | null>): string {
  return JSON.stringify(
    Object.keys(entry)
      .sort()
      .map((k) => [k, entry[k]]),
  );
}

export function auditHash(prevHash: string | null, entry: Record<string, string | null>): string {
  return createHash('sha256')
    .update(prevHash ?? '')
    .update('\n')
    .update(canonical(entry))
    .digest('hex');
}

/**
 * Append-only audit log. Each entry carries the hash of the previous one, so editing or deleting
 * a past entry breaks the chain (`verifyChain`). Appends are serialised (an advisory lock on
 * PostgreSQL, SQLite's single writer) so concurrent requests cannot fork the chain.
 */
export function createAuditService(database: Database, clock: Clock) {
  const { db } = database;

  async function record(event: AuditEvent): Promise<void> {
    const entry = {
      id: uuidv7(clock.now().getTime()),
      at: clock.now().toISOString(),
      actorUserId: event.actorUserId ?? null,
      actorIp: event.actorIp ?? null,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      details: event.details === undefined ? null : JSON.stringify(event.details),
    };
    await db.transaction().execute(async (trx) => {
      if (database.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext('vertex_ar.audit_log'))`.execute(trx);
      }
      const last = await trx
        .selectFrom('auditLog')
        .select('hash')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const prevHash = last?.hash ?? null;
      await trx
        .insertInto('auditLog')
        .values({ ...entry, prevHash, hash: auditHash(prevHash, entry) })
        .execute();
    });
  }

  /** Walks the chain; returns the id of the first entry that does not match, or null. */
  async function verifyChain(): Promise<string | null> {
    const rows = await db.selectFrom('auditLog').selectAll().orderBy('seq', 'asc').execute();
    let prevHash: string | null = null;
    for (const { seq: _seq, prevHash: storedPrev, hash, ...entry } of rows) {
      if (storedPrev !== prevHash || auditHash(prevHash, entry) !== hash) return entry.id;
      prevHash = hash;
    }
    return null;
  }

  return { record, verifyChain };
}

export type AuditService = ReturnType<typeof createAuditService>;
