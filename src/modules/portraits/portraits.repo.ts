import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type {
  MarkersTable,
  PortraitsTable,
  ProcessingStatus,
  VideosTable,
} from '../../infra/db/schema.js';
import { markerKeys, portraitKeys, videoKeys } from './portrait-keys.js';

export type PortraitRow = Selectable<PortraitsTable>;
export type MarkerRow = Selectable<MarkersTable>;
export type VideoRow = Selectable<VideosTable>;

export function createPortraitsRepo() {
  return {
    findById: (db: Executor, id: string): Promise<PortraitRow | undefined> =>
      db.selectFrom('portraits').selectAll().where('id', '=', id).executeTakeFirst(),

    findBySlug: (db: Executor, slug: string): Promise<PortraitRow | undefined> =>
      db.selectFrom('portraits').selectAll().where('slug', '=', slug).executeTakeFirst(),

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
     * Every storage prefix holding files of these portraits: their images, all marker versions
     * and every video (read before the rows are deleted; the files outlive them).
     */
    async storagePrefixes(db: Executor, portraitIds: string[]): Promise<string[]> {
      if (portraitIds.length === 0) return [];
      const videos = await db
        .selectFrom('videos')
        .select('id')
        .where('portraitId', 'in', portraitIds)
        .orderBy('id')
        .execute();
      return [
        ...portraitIds.flatMap((id) => [portraitKeys.prefix(id), markerKeys.prefix(id)]),
        ...videos.map((video) => videoKeys.prefix(video.id)),
      ];
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
  viewCount: number;
  createdAt: string;
}

export type PortraitsRepo = ReturnType<typeof createPortraitsRepo>;

/**
 * A portrait is ready when its images, its current marker and its active video (if it has one)
 * are ready; failed when any of them failed (the first reason is kept); processing otherwise.
 */
export function derivePortraitStatus(input: {
  imagesReady: boolean;
  imagesError: string | null;
  marker: Pick<MarkerRow, 'status' | 'error'> | undefined;
  activeVideo: Pick<VideoRow, 'status' | 'error'> | undefined;
}): { status: ProcessingStatus; error: string | null } {
  const { marker, activeVideo } = input;
  if (input.imagesError !== null) return { status: 'failed', error: input.imagesError };
  if (marker?.status === 'failed')
    return { status: 'failed', error: marker.error ?? 'marker generation failed' };
  if (activeVideo?.status === 'failed') {
    return { status: 'failed', error: activeVideo.error ?? 'video processing failed' };
  }
  // No active video (the last one was deleted) does not block: the portrait itself is ready and
  // its public page says there is no video right now.
  const videoReady = activeVideo === undefined || activeVideo.status === 'ready';
  const ready = input.imagesReady && marker?.status === 'ready' && videoReady;
  return { status: ready ? 'ready' : 'processing', error: null };
}
