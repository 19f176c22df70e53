import type { Database } from '../../infra/db/database.js';
import { AppError } from '../../shared/errors.js';
import type { AuditFilter, AuditListRow, AuditRepo } from './audit.repo.js';
import type { AuditEntry, AuditListQuery, AuditPage, AuditVerifyResult } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Field names that could hold a credential; no entry records one today, none ever will be shown. */
const SECRET_FIELD = /password|passphrase|secret|token|^key$|keyHash/i;

interface Deps {
  database: Database;
  auditRepo: Pick<AuditRepo, 'list' | 'apiKeyNames'>;
  audit: Pick<AuditService, 'checkChain'>;
}

const badFilter = (field: string, message: string): AppError =>
  new AppError('validation_failed', 400, `${field} ${message}`, [
    { location: 'querystring', path: `/${field}`, message },
  ]);

/** An ISO date-time as the database stores `at` (UTC, milliseconds), so text compares in order. */
function instant(value: string, field: 'from' | 'to'): string {
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) throw badFilter(field, 'must be an ISO date-time');
  return new Date(time).toISOString();
}

function filterOf(query: AuditListQuery): AuditFilter {
  const filter: AuditFilter = {};
  if (query.actor !== undefined) {
    const actor = query.actor.trim();
    // Usernames are stored in lower case (users.service normaliseUsername).
    filter.actor = UUID.test(actor)
      ? { userId: actor.toLowerCase() }
      : { username: actor.toLowerCase() };
  }
  if (query.action !== undefined) {
    filter.action = query.action.endsWith('.*')
      ? { prefix: query.action.slice(0, -1) }
      : { exact: query.action };
  }
  if (query.entityType !== undefined) filter.targetType = query.entityType;
  if (query.entityId !== undefined) filter.targetId = query.entityId;
  if (query.from !== undefined) filter.from = instant(query.from, 'from');
  if (query.to !== undefined) filter.to = instant(query.to, 'to');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw badFilter('to', 'must not be before from');
  }
  return filter;
}

/** Stored details with any credential-looking field replaced, at every depth. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_FIELD.test(key) ? '[redacted]' : redact(inner),
    ]),
  );
}

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { value: parsed };
    }
    return redact(parsed) as Record<string, unknown>;
  } catch {
    // Only a hand-edited row holds broken JSON; the chain check names it.
    return { unreadable: true };
  }
}

const apiKeyIdOf = (details: Record<string, unknown> | null): string | null =>
  typeof details?.apiKeyId === 'string' ? details.apiKeyId : null;

function entryOf(row: AuditListRow, keyNames: ReadonlyMap<string, string>): AuditEntry {
  const details = parseDetails(row.details);
  const apiKeyId = apiKeyIdOf(details);
  const kind =
    apiKeyId !== null
      ? 'api_key'
      : row.actorUserId !== null
        ? 'user'
        : row.actorIp !== null
          ? 'anonymous'
          : 'system';
  return {
    id: row.id,
    seq: row.seq,
    at: row.at,
    actor: {
      kind,
      userId: row.actorUserId,
      username: row.actorUsername,
      apiKeyId,
      apiKeyName: apiKeyId === null ? null : (keyNames.get(apiKeyId) ?? null),
    },
    action: row.action,
    entity: row.targetType === null ? null : { type: row.targetType, id: row.targetId },
    ip: row.actorIp,
    details,
  };
}

/** Reading the audit log for admins: filtered pages of entries, and the chain check. */
export function createAuditLog({ database, auditRepo, audit }: Deps) {
  async function list(query: AuditListQuery): Promise<AuditPage> {
    const { rows, total } = await auditRepo.list(database.db, {
      ...filterOf(query),
      limit: query.limit,
      offset: query.offset,
    });
    const keyIds = rows
      .map((row) => apiKeyIdOf(parseDetails(row.details)))
      .filter((id): id is string => id !== null);
    const keyNames = await auditRepo.apiKeyNames(database.db, [...new Set(keyIds)]);
    return {
      items: rows.map((row) => entryOf(row, keyNames)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async function verify(): Promise<AuditVerifyResult> {
    const result = await audit.checkChain();
    if (result.ok) {
      return {
        ok: true,
        checked: result.checked,
        lastSeq: result.last?.seq ?? null,
        lastHash: result.last?.hash ?? null,
      };
    }
    return {
      ok: false,
      checked: result.checked,
      firstBrokenId: result.entry.id,
      firstBrokenSeq: result.entry.seq,
      at: result.entry.at,
      reason: result.reason,
    };
  }

  return { list, verify };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
