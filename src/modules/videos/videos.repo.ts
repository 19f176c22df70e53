import type { Selectable } from 'kysely';
import type { Executor } from '../../infra/db/database.js';
import type { VideosTable } from '../../infra/db/schema.js';

export type VideoRow = Selectable<VideosTable>;

/** Queries of the videos area; every function takes the database or an open transaction. */
export function createVideosRepo() {
  return {
    findById: (db: Executor, id: string): Promise<VideoRow | undefined> =>
      db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst(),

    /** The public files of a ready video (undefined unless it is ready with both files). */
    async findReadyFiles(
      db: Executor,
      id: string,
    ): Promise<
      { id: string; playableKey: string; posterKey: string; sizeBytes: number | null } | undefined
    > {
      const video = await db
        .selectFrom('videos')
        .select(['id', 'playableKey', 'posterKey', 'sizeBytes'])
        .where('id', '=', id)
        .where('status', '=', 'ready')
        .executeTakeFirst();
      if (video?.playableKey == null || video.posterKey === null) return undefined;
      return { ...video, playableKey: video.playableKey, posterKey: video.posterKey };
    },

    /** A portrait's videos, newest first (ids are UUIDv7: sortable by creation time). */
    listByPortrait: (db: Executor, portraitId: string): Promise<VideoRow[]> =>
      db
        .selectFrom('videos')
        .selectAll()
        .where('portraitId', '=', portraitId)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .execute(),

    async hasActive(db: Executor, portraitId: string): Promise<boolean> {
      const row = await db
        .selectFrom('videos')
        .select('id')
        .where('portraitId', '=', portraitId)
        .where('active', '=', 1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The most recent ready video of a portrait (the successor of a deleted active one). */
    latestReady: (db: Executor, portraitId: string): Promise<VideoRow | undefined> =>
      db
        .selectFrom('videos')
        .selectAll()
        .where('portraitId', '=', portraitId)
        .where('status', '=', 'ready')
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),

    /** A freshly uploaded video: stored original, processing, nothing derived yet. */
    async insertUploaded(
      db: Executor,
      video: {
        id: string;
        portraitId: string;
        active: boolean;
        originalKey: string;
        originalFormat: string;
        originalSize: number;
        durationSeconds: number;
        now: string;
      },
    ): Promise<void> {
      await db
        .insertInto('videos')
        .values({
          id: video.id,
          portraitId: video.portraitId,
          status: 'processing',
          error: null,
          active: video.active ? 1 : null,
          originalKey: video.originalKey,
          originalFormat: video.originalFormat,
          originalSize: video.originalSize,
          playableKey: null,
          posterKey: null,
          durationSeconds: video.durationSeconds,
          width: null,
          height: null,
          sizeBytes: null,
          transcoded: null,
          createdAt: video.now,
          updatedAt: video.now,
        })
        .execute();
    },

    /**
     * Makes `videoId` the portrait's one active video: clears the current one, then sets this
     * one. Run inside a transaction; the unique index rejects any second active row.
     */
    async setActive(db: Executor, portraitId: string, videoId: string, now: string): Promise<void> {
      await db
        .updateTable('videos')
        .set({ active: null, updatedAt: now })
        .where('portraitId', '=', portraitId)
        .where('active', '=', 1)
        .where('id', '!=', videoId)
        .execute();
      await db
        .updateTable('videos')
        .set({ active: 1, updatedAt: now })
        .where('id', '=', videoId)
        .where('portraitId', '=', portraitId)
        .execute();
    },

    async delete(db: Executor, id: string): Promise<void> {
      await db.deleteFrom('videos').where('id', '=', id).execute();
    },

    /** The processing job's result: the phone-playable copy, its poster and what it is. */
    async setReady(
      db: Executor,
      id: string,
      result: Pick<
        VideoRow,
        | 'playableKey'
        | 'posterKey'
        | 'durationSeconds'
        | 'width'
        | 'height'
        | 'sizeBytes'
        | 'transcoded'
      >,
      now: string,
    ): Promise<void> {
      await db
        .updateTable('videos')
        .set({ ...result, status: 'ready', error: null, updatedAt: now })
        .where('id', '=', id)
        .execute();
    },

    async setFailed(db: Executor, id: string, reason: string, now: string): Promise<void> {
      await db
        .updateTable('videos')
        .set({ status: 'failed', error: reason, updatedAt: now })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type VideosRepo = ReturnType<typeof createVideosRepo>;
