import type { Insertable, Selectable } from 'kysely';
import type { Executor, SqlDialect } from '../../infra/db/database.js';
import { forUpdate } from '../../infra/db/locks.js';
import type {
  MarkersTable,
  PortraitsTable,
  ProcessingStatus,
  VideosTable,
} from '../../infra/db/schema.js';
import { markerKeys, portraitKeys, videoKeys } from './portrait-keys.js';
import type { MarkerErrorCode } from '../../shared/error-codes.js';

export type PortraitRow = Selectable<PortraitsTable>;
export type MarkerRow = Selectable<MarkersTable>;
export type VideoRow = Selectable<VideosTable>;

export function createPortraitsRepo(dialect: SqlDialect) {
  return {
    findById: (db: Executor, id: string): Promise<PortraitRow | undefined> =>
      db.selectFrom('portraits').selectAll().where('id', '=', id).executeTakeFirst(),

    findBySlug: (db: Executor, slug: string): Promise<PortraitRow | undefined> =>
      db.selectFrom('portraits').selectAll().where('slug', '=', slug).executeTakeFirst(),

    /**
     * The portrait, its row locked until the transaction ends (see `forUpdate`): serialises
     * changes of one portrait (its videos, its marker, its deletion). Undefined when it is gone.
     */
    lockForUpdate: (db: Executor, id: string): Promise<PortraitRow | undefined> =>
      forUpdate(
        db.selectFrom('portraits').selectAll().where('id', '=', id),
        dialect,
      ).executeTakeFirst(),

    /** The photo version whose display copy and thumbnails are stored; undefined: none yet. */
    async readyImageVersion(db: Executor, id: string): Promise<number | undefined> {
      const row = await db
        .selectFrom('portraits')
        .select(['imagesReadyAt', 'imageVersion'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined || row.imagesReadyAt === null ? undefined : row.imageVersion;
    },

    currentMarker: (db: Executor, portrait: PortraitRow): Promise<MarkerRow | undefined> =>
      db
        .selectFrom('markers')
        .selectAll()
        .where('portraitId', '=', portrait.id)
        .where('version', '=', portrait.markerVersion)
        .executeTakeFirst(),

    findMarker: (
      db: Executor,
      portraitId: string,
      version: number,
    ): Promise<MarkerRow | undefined> =>
      db
        .selectFrom('markers')
        .selectAll()
        .where('portraitId', '=', portraitId)
        .where('version', '=', version)
        .executeTakeFirst(),

    activeVideo: (db: Executor, portraitId: string): Promise<VideoRow | undefined> =>
      db
        .selectFrom('videos')
        .selectAll()
        .where('portraitId', '=', portraitId)
        .where('active', '=', 1)
        .executeTakeFirst(),

    async setStatus(
      db: Executor,
      id: string,
      status: ProcessingStatus,
      error: string | null,
      now: string,
    ): Promise<void> {
      await db
        .updateTable('portraits')
        .set({ status, error, updatedAt: now })
        .where('id', '=', id)
        .execute();
    },

    async countView(db: Executor, id: string): Promise<void> {
      await db
        .updateTable('portraits')
        .set((eb) => ({ viewCount: eb('viewCount', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },

    /** One page of portraits with their client's name (newest first), and the total. */
    async list(
      db: Executor,
      filter: PortraitFilter & { limit?: number; offset?: number },
    ): Promise<{ rows: PortraitListRow[]; total: number }> {
      let rowsQuery = db
        .selectFrom('portraits')
        .innerJoin('clients', 'clients.id', 'portraits.clientId')
        .select([
          'portraits.id',
          'portraits.slug',
          'portraits.clientId',
          'clients.name as clientName',
          'portraits.status',
          'portraits.imagesReadyAt',
          'portraits.imageVersion',
          'portraits.viewCount',
          'portraits.createdAt',
        ]);
      let countQuery = db
        .selectFrom('portraits')
        .select((eb) => eb.fn.countAll<number>().as('total'));
      if (filter.clientId !== undefined) {
        rowsQuery = rowsQuery.where('portraits.clientId', '=', filter.clientId);
        countQuery = countQuery.where('portraits.clientId', '=', filter.clientId);
      }
      if (filter.status !== undefined) {
        rowsQuery = rowsQuery.where('portraits.status', '=', filter.status);
        countQuery = countQuery.where('portraits.status', '=', filter.status);
      }
      rowsQuery = rowsQuery.orderBy('portraits.createdAt', 'desc').orderBy('portraits.id', 'desc');
      if (filter.limit !== undefined) rowsQuery = rowsQuery.limit(filter.limit);
      if (filter.offset !== undefined) rowsQuery = rowsQuery.offset(filter.offset);
      const [rows, count] = await Promise.all([
        rowsQuery.execute(),
        countQuery.executeTakeFirstOrThrow(),
      ]);
      return {
        rows,
        total: count.total,
      };
    },

    /**
     * Every storage prefix holding files of these portraits (their images, all marker versions
     * and every video) and the ids of those portraits and videos (read before the rows are
     * deleted; the files outlive them).
     */
    async storedFiles(
      db: Executor,
      portraitIds: string[],
    ): Promise<{ prefixes: string[]; entityIds: string[] }> {
      if (portraitIds.length === 0) return { prefixes: [], entityIds: [] };
      const videos = await db
        .selectFrom('videos')
        .select('id')
        .where('portraitId', 'in', portraitIds)
        .orderBy('id')
        .execute();
      const videoIds = videos.map((video) => video.id);
      return {
        prefixes: [
          ...portraitIds.flatMap((id) => [portraitKeys.prefix(id), markerKeys.prefix(id)]),
          ...videoIds.map((id) => videoKeys.prefix(id)),
        ],
        entityIds: [...portraitIds, ...videoIds],
      };
    },

    /** The ids of a client's portraits, locked until the transaction ends (see `forUpdate`). */
    async lockIdsOfClient(db: Executor, clientId: string): Promise<string[]> {
      const rows = await forUpdate(
        db.selectFrom('portraits').select('id').where('clientId', '=', clientId).orderBy('id'),
        dialect,
      ).execute();
      return rows.map((row) => row.id);
    },

    async insert(db: Executor, row: Insertable<PortraitsTable>): Promise<void> {
      await db.insertInto('portraits').values(row).execute();
    },

    /** The highest marker version of a portrait (0 when it has none). */
    async latestMarkerVersion(db: Executor, portraitId: string): Promise<number> {
      const row = await db
        .selectFrom('markers')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('portraitId', '=', portraitId)
        .executeTakeFirst();
      return row?.version ?? 0;
    },

    async insertMarker(
      db: Executor,
      marker: { id: string; portraitId: string; version: number; now: string },
    ): Promise<void> {
      await db
        .insertInto('markers')
        .values({
          id: marker.id,
          portraitId: marker.portraitId,
          version: marker.version,
          status: 'processing',
          errorCode: null,
          error: null,
          width: null,
          height: null,
          dpi: null,
          widthMm: null,
          heightMm: null,
          trackingPoints: null,
          freakPoints: null,
          qualityScore: null,
          qualityAdvice: null,
          selfTestFound: null,
          selfTestCornerErrorPx: null,
          metrics: null,
          createdAt: marker.now,
          updatedAt: marker.now,
        })
        .execute();
    },

    /** Points the portrait at another marker version (a regeneration). */
    async setMarkerVersion(db: Executor, id: string, version: number, now: string): Promise<void> {
      await db
        .updateTable('portraits')
        .set({ markerVersion: version, updatedAt: now })
        .where('id', '=', id)
        .execute();
    },

    /**
     * The display copy and thumbnails are stored (or could not be made: `error`). With
     * `imageVersion`, only while the portrait still has that photo (a job of a replaced photo
     * changes nothing); answers whether the row was changed.
     */
    async setImagesResult(
      db: Executor,
      id: string,
      result: { readyAt: string } | { error: string },
      now: string,
      imageVersion?: number,
    ): Promise<boolean> {
      let query = db
        .updateTable('portraits')
        .set(
          'readyAt' in result
            ? { imagesReadyAt: result.readyAt, imagesError: null, updatedAt: now }
            : { imagesError: result.error, updatedAt: now },
        )
        .where('id', '=', id);
      if (imageVersion !== undefined) query = query.where('imageVersion', '=', imageVersion);
      const updated = await query.executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    /**
     * The portrait's new photo (a replacement): its original, the photo version and the marker
     * version made from it; display copy and thumbnails are to be made again.
     */
    async replaceImage(
      db: Executor,
      id: string,
      image: {
        originalKey: string;
        originalFormat: string;
        originalSize: number;
        width: number;
        height: number;
        imageVersion: number;
        markerVersion: number;
      },
      now: string,
    ): Promise<void> {
      await db
        .updateTable('portraits')
        .set({ ...image, imagesReadyAt: null, imagesError: null, updatedAt: now })
        .where('id', '=', id)
        .execute();
    },

    /** The marker job's result: files stored, with their sizes, quality and self-test. */
    async setMarkerReady(
      db: Executor,
      markerId: string,
      result: Omit<
        MarkerRow,
        | 'id'
        | 'portraitId'
        | 'version'
        | 'status'
        | 'errorCode'
        | 'error'
        | 'createdAt'
        | 'updatedAt'
      >,
      now: string,
    ): Promise<void> {
      await db
        .updateTable('markers')
        .set({ ...result, status: 'ready', errorCode: null, error: null, updatedAt: now })
        .where('id', '=', markerId)
        .execute();
    },

    /**
     * Marks a marker version failed while it is processing: neither a ready marker nor the
     * specific reason of an earlier failure (the runner's generic "failed for good" follows it)
     * is overwritten.
     */
    async setMarkerFailed(
      db: Executor,
      portraitId: string,
      version: number,
      failure: { code: MarkerErrorCode; reason: string; advice: string[] },
      now: string,
    ): Promise<void> {
      await db
        .updateTable('markers')
        .set({
          status: 'failed',
          errorCode: failure.code,
          error: failure.reason,
          qualityAdvice: JSON.stringify(failure.advice),
          updatedAt: now,
        })
        .where('portraitId', '=', portraitId)
        .where('version', '=', version)
        .where('status', '=', 'processing')
        .execute();
    },

    /** Deletes the portrait; the database cascades to its markers, videos and order. */
    async delete(db: Executor, id: string): Promise<boolean> {
      const result = await db.deleteFrom('portraits').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export interface PortraitFilter {
  clientId?: string;
  status?: ProcessingStatus;
}

export interface PortraitListRow {
  id: string;
  slug: string;
  clientId: string;
  clientName: string;
  status: ProcessingStatus;
  imagesReadyAt: string | null;
  imageVersion: number;
  viewCount: number;
  createdAt: string;
}

export type PortraitsRepo = ReturnType<typeof createPortraitsRepo>;
