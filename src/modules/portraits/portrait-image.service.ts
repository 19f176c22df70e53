import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Database, Executor } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Storage } from '../../infra/storage/index.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { MediaProbe } from '../orders/order-intake.service.js';
import { fileExtension, portraitKeys } from './portrait-keys.js';
import type { PortraitRow, PortraitsRepo } from './portraits.repo.js';
import type { PortraitDetail } from './portraits.schemas.js';
import type { PortraitsService } from './portraits.service.js';
import { markerInProgress } from './portrait-actions.service.js';

/** What replacing a photo uses, and nothing more (tests pass fakes of exactly this). */
export interface Deps {
  database: Pick<Database, 'db' | 'transaction'>;
  storage: Pick<Storage, 'put' | 'delete'>;
  portraits: Pick<
    PortraitsRepo,
    | 'findById'
    | 'lockForUpdate'
    | 'currentMarker'
    | 'latestMarkerVersion'
    | 'insertMarker'
    | 'replaceImage'
  >;
  portraitsService: Pick<PortraitsService, 'refreshStatus' | 'getDetail'>;
  queue: Pick<JobQueue, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  /** The order intake's probe, with its limits (a photo it refuses is refused here too). */
  media: Pick<MediaProbe, 'probeImage'>;
  clock: Clock;
}

/**
 * `PUT /api/portraits/{id}/image`: a new photo for a portrait (a failed one, or a reprint). The
 * slug, the public link and the QR code stay; the portrait is processing again (its public page
 * says the portrait is being prepared) until the new photo's images and marker are ready. The
 * previous photo's files and markers stay in storage until then and are deleted by a cleanup
 * job the marker job queues when the new marker is ready; if the new marker fails, the portrait
 * shows the failure and can be given another photo.
 */
export function createPortraitImage(deps: Deps) {
  const { database, storage, portraits, portraitsService, queue, audit, media, clock } = deps;

  /** Refuses early what the transaction would refuse anyway (before storing anything). */
  async function checkReplaceable(
    executor: Executor,
    portrait: PortraitRow | undefined,
  ): Promise<PortraitRow> {
    if (portrait === undefined) throw notFound('portrait');
    const current = await portraits.currentMarker(executor, portrait);
    if (current?.status === 'processing') throw markerInProgress();
    return portrait;
  }

  async function replace(
    id: string,
    upload: ReceivedUpload,
    actor: Actor,
  ): Promise<PortraitDetail> {
    const file = upload.files.portrait;
    if (file === undefined) {
      throw new AppError('validation_failed', 400, 'portrait file is required');
    }
    const before = await checkReplaceable(database.db, await portraits.findById(database.db, id));
    const image = await media.probeImage(file.path);

    const imageVersion = before.imageVersion + 1;
    const originalKey = portraitKeys.original(
      id,
      fileExtension(image.format),
      imageVersion,
      randomBytes(6).toString('hex'),
    );
    let stored = false;
    try {
      stored = true;
      await storage.put(originalKey, createReadStream(file.path));
      await database.transaction(async (trx) => {
        // Serialises with other replacements, regenerations, new videos and the deletion.
        const portrait = await checkReplaceable(trx, await portraits.lockForUpdate(trx, id));
        // Another replacement committed since the photo was checked (its marker is running).
        if (portrait.imageVersion !== before.imageVersion) throw markerInProgress();
        const next =
          Math.max(portrait.markerVersion, await portraits.latestMarkerVersion(trx, id)) + 1;
        const now = clock.now().toISOString();
        await portraits.insertMarker(trx, { id: uuidv7(), portraitId: id, version: next, now });
        await portraits.replaceImage(
          trx,
          id,
          {
            originalKey,
            originalFormat: image.format,
            originalSize: file.size,
            width: image.width,
            height: image.height,
            imageVersion,
            markerVersion: next,
          },
          now,
        );
        await portraitsService.refreshStatus(id, trx);
        await queue.enqueue(JOB_KINDS.portraitImages.job(id, imageVersion), trx);
        await queue.enqueue(JOB_KINDS.marker.job(id, next, { cleanupSuperseded: true }), trx);
        await audit.record(
          {
            action: 'portrait.image.replace',
            ...byActor(actor),
            targetType: 'portrait',
            targetId: id,
            details: {
              imageVersion,
              markerVersion: next,
              previousStatus: portrait.status,
              format: image.format,
              size: file.size,
              width: image.width,
              height: image.height,
            },
          },
          trx,
        );
      });
    } catch (error) {
      if (stored) await storage.delete(originalKey).catch(() => undefined);
      // Two replacements at once (SQLite, or a lost race): the other one's version exists.
      if (isUniqueViolation(error)) throw markerInProgress();
      throw error;
    }
    return portraitsService.getDetail(id);
  }

  return { replace };
}

export type PortraitImage = ReturnType<typeof createPortraitImage>;
