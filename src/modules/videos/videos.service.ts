import { createReadStream } from 'node:fs';
import type { Database } from '../../infra/db/database.js';
import { retryOnConflict } from '../../infra/db/retry.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Storage } from '../../infra/storage/index.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import { mediaUrls } from '../portraits/media-urls.js';
import { fileExtension, videoKeys } from '../portraits/portrait-keys.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import type { PortraitsService } from '../portraits/portraits.service.js';
import type { VideoRow, VideosRepo } from './videos.repo.js';
import type { VideoAccepted, VideoItem } from './videos.schemas.js';

/** What adding a video needs to know about the upload (the same probe as the order intake). */
export interface VideoProbe {
  probeVideo(path: string): Promise<{ container: string; durationSeconds: number }>;
}

export function toVideoItem(row: VideoRow): VideoItem {
  return {
    id: row.id,
    portraitId: row.portraitId,
    status: row.status,
    active: row.active === 1,
    ...(row.error === null ? {} : { error: row.error }),
    durationSeconds: row.durationSeconds,
    posterUrl: row.posterKey === null ? null : mediaUrls.poster(row.id),
    videoUrl: row.playableKey === null ? null : mediaUrls.video(row.id),
    createdAt: row.createdAt,
  };
}

/** What the videos service uses, and nothing more (tests pass fakes of exactly this). */
export interface Deps {
  database: Pick<Database, 'db' | 'transaction'>;
  storage: Pick<Storage, 'put' | 'delete'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  videos: Pick<
    VideosRepo,
    | 'findById'
    | 'listByPortrait'
    | 'hasActive'
    | 'latestReady'
    | 'insertUploaded'
    | 'setActive'
    | 'delete'
  >;
  portraits: Pick<PortraitsRepo, 'findById' | 'lockForUpdate' | 'activeVideo'>;
  portraitsService: Pick<PortraitsService, 'refreshStatus'>;
  audit: Pick<AuditService, 'record'>;
  media: VideoProbe;
}

/**
 * The videos of a portrait: add (stored original + processing job), list, activate, delete.
 * Exactly one video of a portrait is active, enforced by the unique index
 * `videos_one_active_per_portrait`; every switch happens in one transaction that first locks
 * the portrait row (`lockForUpdate`), and is retried if it still lost a race. Each change and
 * its audit entry commit together. The public link and QR code belong to the portrait, so they
 * never change here.
 */
export function createVideosService(deps: Deps) {
  const { database, storage, clock, queue, videos, portraits, portraitsService, audit, media } =
    deps;
  const { db } = database;

  async function requirePortrait(portraitId: string): Promise<void> {
    if ((await portraits.findById(db, portraitId)) === undefined) throw notFound('portrait');
  }

  async function list(portraitId: string): Promise<VideoItem[]> {
    await requirePortrait(portraitId);
    return (await videos.listByPortrait(db, portraitId)).map(toVideoItem);
  }

  /**
   * Checks the streamed upload by content (ffprobe), stores the original, then inserts the row
   * and queues its processing in one transaction. The new video is active only when the
   * portrait has no active video at all. A rejected upload leaves no row and no file.
   */
  async function add(
    portraitId: string,
    upload: ReceivedUpload,
    actor: Actor,
  ): Promise<VideoAccepted> {
    const file = upload.files.video;
    if (file === undefined) throw new AppError('validation_failed', 400, 'video file is required');
    await requirePortrait(portraitId);
    const probe = await media.probeVideo(file.path);

    const videoId = uuidv7();
    const originalKey = videoKeys.original(videoId, fileExtension(probe.container));
    let stored = false;
    try {
      stored = true;
      await storage.put(originalKey, createReadStream(file.path));
      const active = await retryOnConflict(() =>
        database.transaction(async (trx) => {
          if ((await portraits.lockForUpdate(trx, portraitId)) === undefined) {
            throw notFound('portrait');
          }
          const active = !(await videos.hasActive(trx, portraitId));
          const now = clock.now().toISOString();
          await videos.insertUploaded(trx, {
            id: videoId,
            portraitId,
            active,
            originalKey,
            originalFormat: probe.container,
            originalSize: file.size,
            durationSeconds: probe.durationSeconds,
            now,
          });
          await queue.enqueue(JOB_KINDS.video.job(videoId), trx);
          // A new active video (the portrait had none) changes the portrait's status.
          if (active) await portraitsService.refreshStatus(portraitId, trx);
          await audit.record(
            {
              action: 'video.add',
              ...byActor(actor),
              targetType: 'video',
              targetId: videoId,
              details: { portraitId, active, size: file.size, container: probe.container },
            },
            trx,
          );
          return active;
        }),
      );
      return { id: videoId, status: 'processing', active };
    } catch (error) {
      if (stored) await storage.delete(originalKey).catch(() => undefined);
      throw error;
    }
  }

  /** Makes a ready video the portrait's active one (clearing the previous one). */
  async function activate(videoId: string, actor: Actor): Promise<VideoItem> {
    const video = await retryOnConflict(() =>
      database.transaction(async (trx) => {
        const before = await videos.findById(trx, videoId);
        if (before === undefined) throw notFound('video');
        if ((await portraits.lockForUpdate(trx, before.portraitId)) === undefined) {
          throw notFound('video');
        }
        // Read again under the lock: a concurrent delete or switch has finished by now.
        const video = await videos.findById(trx, videoId);
        if (video === undefined) throw notFound('video');
        if (video.status !== 'ready') {
          throw new AppError(
            'video_not_ready',
            409,
            `only a ready video can be activated (this one is ${video.status})`,
            { status: video.status },
          );
        }
        // Already the active one: nothing changes, so nothing is recorded.
        if (video.active === 1) return video;
        const previous = await portraits.activeVideo(trx, video.portraitId);
        const now = clock.now().toISOString();
        await videos.setActive(trx, video.portraitId, video.id, now);
        await portraitsService.refreshStatus(video.portraitId, trx);
        await audit.record(
          {
            action: 'video.activate',
            ...byActor(actor),
            targetType: 'video',
            targetId: videoId,
            details: { portraitId: video.portraitId, previousId: previous?.id ?? null },
          },
          trx,
        );
        return { ...video, active: 1 as const, updatedAt: now };
      }),
    );
    return toVideoItem(video);
  }

  /**
   * Deletes a video. When it was the active one, the most recent remaining ready video takes
   * over; with none, the portrait has no active video and its public page says so. The row
   * goes, the `storage.cleanup` job of its files is queued and the audit entry recorded in one
   * transaction.
   */
  async function remove(videoId: string, actor: Actor): Promise<void> {
    await retryOnConflict(() =>
      database.transaction(async (trx) => {
        const before = await videos.findById(trx, videoId);
        if (before === undefined) throw notFound('video');
        await portraits.lockForUpdate(trx, before.portraitId);
        const video = await videos.findById(trx, videoId);
        if (video === undefined) throw notFound('video');
        await videos.delete(trx, videoId);
        let successorId: string | null = null;
        if (video.active === 1) {
          const successor = await videos.latestReady(trx, video.portraitId);
          if (successor !== undefined) {
            await videos.setActive(trx, video.portraitId, successor.id, clock.now().toISOString());
            successorId = successor.id;
          }
        }
        // The files go after the commit, by the storage cleanup job (retried until done).
        await queue.enqueue(
          JOB_KINDS.storageCleanup.job(videoId, {
            prefixes: [videoKeys.prefix(videoId)],
            entityIds: [videoId],
          }),
          trx,
        );
        await portraitsService.refreshStatus(video.portraitId, trx);
        await audit.record(
          {
            action: 'video.delete',
            ...byActor(actor),
            targetType: 'video',
            targetId: videoId,
            details: {
              portraitId: video.portraitId,
              wasActive: video.active === 1,
              activatedId: successorId,
            },
          },
          trx,
        );
      }),
    );
  }

  return { list, add, activate, remove };
}

export type VideosService = ReturnType<typeof createVideosService>;
