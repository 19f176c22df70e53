import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type {
  MarkersTable,
  PortraitsTable,
  ProcessingStatus,
  VideosTable,
} from '../../infra/db/schema.js';

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
  };
}

export type PortraitsRepo = ReturnType<typeof createPortraitsRepo>;

/**
 * A portrait is ready when its images, its current marker and its active video are all ready;
 * failed when any of them failed (the first reason is kept); processing otherwise.
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
  const ready = input.imagesReady && marker?.status === 'ready' && activeVideo?.status === 'ready';
  return { status: ready ? 'ready' : 'processing', error: null };
}
