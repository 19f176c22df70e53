import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Database } from '../infra/db/database.js';
import {
  decodeVideoFully,
  extractPoster,
  planVideo,
  probeVideo,
  remuxFaststart,
  transcodeForPhones,
} from '../infra/media/video.js';
import { PermanentJobError, type JobHandler } from '../infra/queue/job-runner.js';
import { parseStorageKey, type Storage } from '../infra/storage/index.js';
import { AppError } from '../shared/errors.js';
import { videoKeys } from '../modules/portraits/portrait-keys.js';
import type { PortraitsService } from '../modules/portraits/portraits.service.js';
import type { VideosRepo } from '../modules/videos/videos.repo.js';
import type { Clock } from '../shared/clock.js';
import type { JobPayload } from './job-kinds.js';
import { downloadTo, withJobDir } from './temp-files.js';

interface Deps {
  database: Database;
  storage: Storage;
  clock: Clock;
  videosRepo: VideosRepo;
  portraitsService: Pick<PortraitsService, 'refreshStatus'>;
  tmpRoot: string;
  maxVideoSeconds: number;
  /** Limit of each ffmpeg run. */
  timeoutMs: number;
}

/**
 * Makes a video phone-playable: first decodes every frame (a truncated, damaged or lying file
 * fails here for good), then copies the streams of an already compatible MP4/MOV into a new
 * MP4 with `moov` first, otherwise transcodes to H.264/AAC; extracts a poster frame. Either way
 * the public copy carries no container metadata of the upload (GPS `location`, title, comment,
 * creation time, device tags). The original stays untouched in storage, never served.
 */
export function videoJob(deps: Deps): JobHandler<JobPayload<'video.process'>> {
  const { database, storage, clock, videosRepo, portraitsService, timeoutMs } = deps;
  const { db } = database;

  async function markFailed(videoId: string, reason: string): Promise<void> {
    const video = await videosRepo.findById(db, videoId);
    if (video === undefined) return;
    await videosRepo.setFailed(db, videoId, reason, clock.now().toISOString());
    await portraitsService.refreshStatus(video.portraitId);
  }

  return {
    async run({ videoId }, { signal, reportProgress }) {
      const video = await videosRepo.findById(db, videoId);
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
          const limits = { maxDurationSeconds: deps.maxVideoSeconds };
          const probe = await probeVideo(original, { limits, signal });
          await decodeVideoFully(original, {
            claimedSeconds: probe.durationSeconds,
            maxDurationSeconds: deps.maxVideoSeconds,
            signal,
            timeoutMs,
          });
          reportProgress(30);
          const plan = planVideo(probe);
          // "keep" keeps the streams byte for byte, not the file: the remux drops its metadata.
          if (plan.action === 'transcode') {
            await transcodeForPhones(original, playable, { signal, timeoutMs });
          } else {
            await remuxFaststart(original, playable, { signal, timeoutMs });
          }
          reportProgress(80);
          const final = await probeVideo(playable, { limits, signal });
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
          if (error instanceof AppError && error.permanent) {
            await markFailed(videoId, error.message);
            throw new PermanentJobError(`${error.code}: ${error.message}`);
          }
          throw error;
        }
      });
      await videosRepo.setReady(
        db,
        videoId,
        {
          playableKey: videoKeys.playable(videoId),
          posterKey: videoKeys.poster(videoId),
          durationSeconds: result.probe.durationSeconds,
          width: result.probe.width,
          height: result.probe.height,
          sizeBytes: result.probe.sizeBytes,
          transcoded: result.transcoded ? 1 : 0,
        },
        clock.now().toISOString(),
      );
      await portraitsService.refreshStatus(video.portraitId);
    },
    onFailed: ({ videoId }, reason) => markFailed(videoId, reason),
  };
}
