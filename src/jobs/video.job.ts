import { copyFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import {
  extractPoster,
  planVideo,
  probeVideo,
  remuxFaststart,
  transcodeForPhones,
} from '../infra/media/video.js';
import { PermanentJobError, type JobHandler } from '../infra/queue/job-runner.js';
import { parseStorageKey } from '../infra/storage/index.js';
import { AppError } from '../shared/errors.js';
import { videoKeys } from '../modules/portraits/portrait-keys.js';
import { payloadString } from './job-kinds.js';
import type { ProcessingDeps } from './processing-deps.js';
import { downloadTo, withJobDir } from './temp-files.js';

/**
 * Makes a video phone-playable: keeps an already compatible MP4, remuxes one with its index at
 * the end (`+faststart`), otherwise transcodes to H.264/AAC; extracts a poster frame. The
 * original stays untouched in storage.
 */
export function videoJob(deps: ProcessingDeps): JobHandler {
  const { database, storage, clock, portraitsService, config } = deps;
  const { db } = database;
  const timeoutMs = config.jobs.videoTimeoutSeconds * 1000;

  async function markFailed(videoId: string, reason: string): Promise<void> {
    const video = await db
      .selectFrom('videos')
      .select('portraitId')
      .where('id', '=', videoId)
      .executeTakeFirst();
    if (video === undefined) return;
    await db
      .updateTable('videos')
      .set({ status: 'failed', error: reason, updatedAt: clock.now().toISOString() })
      .where('id', '=', videoId)
      .execute();
    await portraitsService.refreshStatus(video.portraitId);
  }

  return {
    timeoutMs,
    concurrency: 1,
    async run(payload, { signal, reportProgress }) {
      const videoId = payloadString(payload, 'videoId');
      const video = await db
        .selectFrom('videos')
        .selectAll()
        .where('id', '=', videoId)
        .executeTakeFirst();
      if (video === undefined || video.status === 'ready') return;
      const result = await withJobDir(deps.tmpRoot, async (dir) => {
        const original = await downloadTo(
          storage,
          parseStorageKey(video.originalKey),
          path.join(dir, 'original'),
        );
        const playable = path.join(dir, 'playable.mp4');
        const poster = path.join(dir, 'poster.jpg');
        try {
          const probe = await probeVideo(original, {
            limits: { maxDurationSeconds: config.media.maxVideoSeconds },
            signal,
          });
          const plan = planVideo(probe);
          if (plan.action === 'keep') await copyFile(original, playable);
          else if (plan.action === 'remux')
            await remuxFaststart(original, playable, { signal, timeoutMs });
          else await transcodeForPhones(original, playable, { signal, timeoutMs });
          reportProgress(80);
          const final = plan.action === 'keep' ? probe : await probeVideo(playable, { signal });
          await extractPoster(playable, poster, { durationSeconds: final.durationSeconds, signal });
          await storage.put(videoKeys.playable(videoId), createReadStream(playable), {
            contentType: 'video/mp4',
          });
          await storage.put(videoKeys.poster(videoId), createReadStream(poster), {
            contentType: 'image/jpeg',
          });
          return { probe: final, transcoded: plan.action === 'transcode' };
        } catch (error) {
          // Bad media will not get better with a retry.
          if (error instanceof AppError && error.httpStatus < 500) {
            await markFailed(videoId, error.message);
            throw new PermanentJobError(`${error.code}: ${error.message}`);
          }
          throw error;
        }
      });
      await db
        .updateTable('videos')
        .set({
          status: 'ready',
          error: null,
          playableKey: videoKeys.playable(videoId),
          posterKey: videoKeys.poster(videoId),
          durationSeconds: result.probe.durationSeconds,
          width: result.probe.width,
          height: result.probe.height,
          sizeBytes: result.probe.sizeBytes,
          transcoded: result.transcoded ? 1 : 0,
          updatedAt: clock.now().toISOString(),
        })
        .where('id', '=', videoId)
        .execute();
      await portraitsService.refreshStatus(video.portraitId);
    },
    onFailed: (payload, reason) => markFailed(payloadString(payload, 'videoId'), reason),
  };
}
