import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { StudioAssetsTable } from '../../infra/db/schema.js';

export type StudioAssetRow = Selectable<StudioAssetsTable>;
export type StudioAssetName = 'logo';

/** Queries of the studio's own files; every function takes the database or an open transaction. */
export function createStudioRepo() {
  return {
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
