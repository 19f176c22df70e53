import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../infra/db/database.js';
import type { DB } from '../../infra/db/schema.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { uuidv7 } from '../../shared/ids.js';
import type { AuditRepo } from './audit.repo.js';

export interface AuditEvent {
  action: string;
  actorUserId?: string | null;
  actorIp?: string | null;
  /** The API key the actor used, when they used one (kept in `details.apiKeyId`). */
  actorApiKeyId?: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** The actor fields of an audit event. */
export const byActor = (
  actor: Actor,
): Pick<AuditEvent, 'actorUserId' | 'actorIp' | 'actorApiKeyId'> => ({
  actorUserId: actor.userId,
  actorIp: actor.ip,
  ...(actor.apiKeyId === undefined ? {} : { actorApiKeyId: actor.apiKeyId }),
});

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

interface Deps {
  database: Database;
  auditRepo: AuditRepo;
  clock: Clock;
}

/**
 * Append-only audit log. Each entry carries the hash of the previous one, so editing or deleting
 * a past entry breaks the chain (`verifyChain`). Appends are serialised (`lockChain`) so
 * concurrent requests cannot fork the chain.
 */
export function createAuditService({ database, auditRepo, clock }: Deps) {
  async function append(trx: Transaction<DB>, event: AuditEvent): Promise<void> {
    const details =
      event.actorApiKeyId === undefined
        ? event.details
        : { ...event.details, apiKeyId: event.actorApiKeyId };
    const entry = {
      id: uuidv7(clock.now().getTime()),
      at: clock.now().toISOString(),
      actorUserId: event.actorUserId ?? null,
      actorIp: event.actorIp ?? null,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      details: details === undefined ? null : JSON.stringify(details),
    };
    await auditRepo.lockChain(trx);
    const prevHash = await auditRepo.lastHash(trx);
    await auditRepo.insert(trx, { ...entry, prevHash, hash: auditHash(prevHash, entry) });
  }

  /**
   * Appends an entry. Pass the transaction of the change it records, so both commit or neither
   * does; without one (a refused login: no change), the entry gets its own transaction.
   */
  async function record(event: AuditEvent, trx?: Transaction<DB>): Promise<void> {
    if (trx !== undefined) await append(trx, event);
    else await database.transaction((own) => append(own, event));
  }

  /**
   * Walks the chain a page at a time and reports the first entry that does not match: its link
   * to the entry before it (one was removed, inserted or re-hashed) or its own content (edited).
   * Removing the newest entries leaves a valid chain: compare `last` with a copy kept elsewhere.
   */
  async function checkChain(): Promise<ChainCheck> {
    let prevHash: string | null = null;
    let last: ChainHead | null = null;
    let checked = 0;
    for await (const row of auditRepo.inOrder(database.db)) {
      const { seq, prevHash: storedPrev, hash, ...entry } = row;
      const broken = { checked, entry: { id: entry.id, seq, at: entry.at } } as const;
      if (storedPrev !== prevHash) return { ok: false, ...broken, reason: 'unlinked' };
      if (auditHash(prevHash, entry) !== hash) return { ok: false, ...broken, reason: 'edited' };
      prevHash = hash;
      last = { seq, hash };
      checked++;
    }
    return { ok: true, checked, last };
  }

  /** The id of the first entry that does not match, or null when the whole chain does. */
  async function verifyChain(): Promise<string | null> {
    const result = await checkChain();
    return result.ok ? null : result.entry.id;
  }

  return { record, checkChain, verifyChain };
}

/** The newest entry of a valid chain. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The result of walking the chain: how many entries matched, and where it broke. */
export type ChainCheck =
  | { ok: true; checked: number; last: ChainHead | null }
  | {
      ok: false;
      /** Entries that matched before the broken one. */
      checked: number;
      entry: { id: string; seq: number; at: string };
      reason: 'unlinked' | 'edited';
    };

export type AuditService = ReturnType<typeof createAuditService>;
