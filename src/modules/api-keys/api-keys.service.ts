import type { Database } from '../../infra/db/database.js';
import type { Role } from '../../infra/db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UserRow, UsersRepo } from '../users/users.repo.js';
import { apiKeyLookupHash, generateApiKey } from './api-key-secret.js';
import type { ApiKeyListRow, ApiKeyRow, ApiKeysRepo } from './api-keys.repo.js';
import type {
  ApiKeyList,
  ApiKeyView,
  CreateApiKeyInput,
  CreatedApiKey,
} from './api-keys.schemas.js';

/** Who manages keys: a signed-in user (keys cannot manage keys) with their role and address. */
export interface KeyManager {
  userId: string;
  role: Role;
  ip: string | null;
}

/** A request authenticated by a key: its creator, with the role the key grants. */
export interface ApiKeyAuthenticated {
  user: UserRow;
  apiKey: ApiKeyRow;
}

const RANK: Record<Role, number> = { operator: 1, admin: 2 };
const lowerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

// Like a session's last_seen_at: one write a minute at most, not one per request.
const TOUCH_EVERY_MS = 60_000;

interface Deps {
  database: Database;
  apiKeys: ApiKeysRepo;
  users: UsersRepo;
  audit: AuditService;
  clock: Clock;
}

function toView(row: ApiKeyListRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: { id: row.createdBy, username: row.createdByUsername },
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt,
  };
}

/**
 * API keys for integrations. Admins manage every key; an operator manages the keys they created.
 * A key's role never exceeds its creator's: refused when asked for, and capped again on every use
 * (a creator demoted later drags their keys down; a disabled creator's keys stop working).
 */
export function createApiKeysService({ database, apiKeys, users, audit, clock }: Deps) {
  const { db } = database;

  async function create(manager: KeyManager, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    if (RANK[input.role] > RANK[manager.role]) {
      throw new AppError('forbidden', 403, `an ${manager.role} cannot create an ${input.role} key`);
    }
    const now = clock.now();
    if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now.getTime()) {
      throw new AppError('validation_failed', 400, 'expiresAt must be in the future', [
        { field: 'expiresAt', message: 'must be in the future' },
      ]);
    }
    const creator = await users.findById(db, manager.userId);
    if (creator === undefined) throw new AppError('unauthenticated', 401, 'log in first');
    const secret = generateApiKey();
    const row: ApiKeyRow = {
      id: uuidv7(now.getTime()),
      name: input.name.trim() || 'API key',
      prefix: secret.prefix,
      keyHash: secret.hash,
      role: input.role,
      createdBy: manager.userId,
      createdAt: now.toISOString(),
      expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
      lastUsedAt: null,
      lastUsedIp: null,
      revokedAt: null,
    };
    await database.transaction(async (trx) => {
      await apiKeys.insert(trx, row);
      await audit.record(
        {
          action: 'api_key.create',
          actorUserId: manager.userId,
          actorIp: manager.ip,
          targetType: 'api_key',
          targetId: row.id,
          details: { name: row.name, role: row.role, expiresAt: row.expiresAt },
        },
        trx,
      );
    });
    return { ...toView({ ...row, createdByUsername: creator.username }), key: secret.key };
  }

  async function list(manager: KeyManager): Promise<ApiKeyList> {
    const rows = await apiKeys.list(db, manager.role === 'admin' ? undefined : manager.userId);
    return { items: rows.map(toView) };
  }

  /** Revokes at once (the next request with the key is a 401). Another's key is a 404 to an operator. */
  async function revoke(manager: KeyManager, id: string): Promise<void> {
    const key = await apiKeys.findById(db, id);
    if (key === undefined || (manager.role !== 'admin' && key.createdBy !== manager.userId)) {
      throw new AppError('not_found', 404, 'API key not found');
    }
    await database.transaction(async (trx) => {
      if (!(await apiKeys.revoke(trx, id, clock.now().toISOString()))) return;
      await audit.record(
        {
          action: 'api_key.revoke',
          actorUserId: manager.userId,
          actorIp: manager.ip,
          targetType: 'api_key',
          targetId: id,
          details: { name: key.name },
        },
        trx,
      );
    });
  }

  /** Resolves a `vxk_…` bearer token to its key and creator; throws 401 for anything else. */
  async function authenticate(token: string, ip: string | null): Promise<ApiKeyAuthenticated> {
    const hash = apiKeyLookupHash(token);
    const key = hash === null ? undefined : await apiKeys.findByHash(db, hash);
    if (key === undefined) throw new AppError('invalid_token', 401, 'invalid API key');
    if (key.revokedAt !== null) {
      throw new AppError('api_key_revoked', 401, 'this API key was revoked');
    }
    const now = clock.now();
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) {
      throw new AppError('api_key_expired', 401, 'this API key has expired');
    }
    const creator = await users.findById(db, key.createdBy);
    if (creator === undefined || creator.disabledAt !== null) {
      throw new AppError('api_key_revoked', 401, "this API key's owner is disabled");
    }
    if (key.lastUsedAt === null || now.getTime() - Date.parse(key.lastUsedAt) >= TOUCH_EVERY_MS) {
      key.lastUsedAt = now.toISOString();
      key.lastUsedIp = ip;
      await apiKeys.touch(db, key.id, key.lastUsedAt, ip);
    }
    return { user: { ...creator, role: lowerRole(key.role, creator.role) }, apiKey: key };
  }

  return { create, list, revoke, authenticate };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
