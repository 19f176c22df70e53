import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { ApiKeysTable } from '../../infra/db/schema.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ApiKeyListRow = Omit<ApiKeyRow, 'keyHash'> & { createdByUsername: string };

/** Queries of the api_keys table; every function takes the database or an open transaction. */
export function createApiKeysRepo() {
  const listQuery = (db: Executor) =>
    db
      .selectFrom('apiKeys')
      .innerJoin('users', 'users.id', 'apiKeys.createdBy')
      .select([
        'apiKeys.id',
        'apiKeys.name',
        'apiKeys.prefix',
        'apiKeys.role',
        'apiKeys.createdBy',
        'apiKeys.createdAt',
        'apiKeys.expiresAt',
        'apiKeys.lastUsedAt',
        'apiKeys.lastUsedIp',
        'apiKeys.revokedAt',
        'users.username as createdByUsername',
      ])
      .orderBy('apiKeys.createdAt', 'desc')
      .orderBy('apiKeys.id', 'desc');

  return {
    async insert(db: Executor, key: ApiKeyRow): Promise<void> {
      await db.insertInto('apiKeys').values(key).execute();
    },

    findByHash: (db: Executor, keyHash: string): Promise<ApiKeyRow | undefined> =>
      db.selectFrom('apiKeys').selectAll().where('keyHash', '=', keyHash).executeTakeFirst(),

    findById: (db: Executor, id: string): Promise<ApiKeyRow | undefined> =>
      db.selectFrom('apiKeys').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Every key (`createdBy` undefined) or the keys one user created, newest first. */
    list: (db: Executor, createdBy?: string): Promise<ApiKeyListRow[]> =>
      createdBy === undefined
        ? listQuery(db).execute()
        : listQuery(db).where('apiKeys.createdBy', '=', createdBy).execute(),

    /** Returns false when the key was already revoked. */
    async revoke(db: Executor, id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('apiKeys')
        .set({ revokedAt: at })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async touch(db: Executor, id: string, at: string, ip: string | null): Promise<void> {
      await db
        .updateTable('apiKeys')
        .set({ lastUsedAt: at, lastUsedIp: ip })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type ApiKeysRepo = ReturnType<typeof createApiKeysRepo>;
