import { type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
import type { DB, StudioAssetsTable } from '../../infra/db/schema.js';
import { lockNamed } from '../../infra/db/locks.js';

export type StudioAssetRow = Selectable<StudioAssetsTable>;
export type StudioAssetName = 'logo';

/** Queries of the studio's own files; every function takes the database or an open transaction. */
export function createStudioRepo(dialect: SqlDialect) {
  return {
    /** Serialises changes of the studio's assets until `trx` ends. */
    lock: (trx: Transaction<DB>): Promise<void> =>
      lockNamed(trx, dialect, 'vertex_ar.studio_assets'),

    find: (db: Executor, name: StudioAssetName): Promise<StudioAssetRow | undefined> =>
      db.selectFrom('studioAssets').selectAll().where('name', '=', name).executeTakeFirst(),

    /** Inserts the asset or replaces the row of the same name. */
    async save(db: Executor, row: Insertable<StudioAssetsTable>): Promise<void> {
      const { name: _name, ...rest } = row;
      await db
        .insertInto('studioAssets')
        .values(row)
        .onConflict((conflict) => conflict.column('name').doUpdateSet(rest))
        .execute();
    },

    async remove(db: Executor, name: StudioAssetName): Promise<void> {
      await db.deleteFrom('studioAssets').where('name', '=', name).execute();
    },
  };
}

export type StudioRepo = ReturnType<typeof createStudioRepo>;
