import { createReadStream } from 'node:fs';
import type { Database } from '../../infra/db/database.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Storage, StorageKey } from '../../infra/storage/index.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { newSlug } from '../../shared/slug.js';
import type { ReceivedUpload } from '../../http/multipart-files.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { ClientsRepo } from '../clients/clients.repo.js';
import { INVALID_PHONE_MESSAGE, normalisePhone } from '../clients/phone.js';
import type { PhoneRegion } from '../../shared/phone.js';
import { fileExtension, portraitKeys, videoKeys } from '../portraits/portrait-keys.js';
import type { PortraitsRepo } from '../portraits/portraits.repo.js';
import type { VideosRepo } from '../videos/videos.repo.js';
import type { PortraitsService } from '../portraits/portraits.service.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import { fingerprintOf, orderIdempotencyRepo, replay } from './order-idempotency.js';
import type { OrdersRepo } from './orders.repo.js';
import type { OrderAccepted } from './orders.schemas.js';

/** What the intake needs to know about the uploaded media (implemented by infra/media). */
export interface MediaProbe {
  probeImage(path: string): Promise<{ format: string; width: number; height: number }>;
  probeVideo(path: string): Promise<{ container: string; durationSeconds: number }>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Only what the intake uses, so tests can fake each part. */
export interface Deps {
  database: Pick<Database, 'transaction'>;
  storage: Pick<Storage, 'put' | 'delete'>;
  clock: Clock;
  queue: Pick<JobQueue, 'enqueue'>;
  clients: Pick<ClientsRepo, 'findOrCreate'>;
  orders: Pick<OrdersRepo, 'insert'>;
  portraits: Pick<PortraitsRepo, 'insert' | 'insertMarker'>;
  videos: Pick<VideosRepo, 'insertUploaded'>;
  portraitsService: Pick<PortraitsService, 'publicUrl'>;
  audit: Pick<AuditService, 'record'>;
  media: MediaProbe;
  /** `DEFAULT_PHONE_REGION`: how a phone typed without `+` is read. */
  phoneRegion: PhoneRegion;
}

/**
 * `POST /api/orders` after the upload has streamed to temp files: checks the fields and the
 * media by content, stores the originals, then creates client (found by phone or new),
 * portrait, active video, marker row, order, its jobs and its audit entry in one transaction.
 * Anything that fails leaves no row and no stored file behind.
 */
export function createOrderIntake(deps: Deps) {
  const {
    database,
    storage,
    clock,
    queue,
    clients,
    orders,
    portraits,
    videos,
    portraitsService,
    audit,
    media,
  } = deps;

  function checkFields(fields: Record<string, string>) {
    const name = fields.clientName ?? '';
    const phone = normalisePhone(fields.clientPhone ?? '', deps.phoneRegion);
    const email =
      fields.clientEmail === undefined || fields.clientEmail === ''
        ? null
        : fields.clientEmail.toLowerCase();
    const problems: { field: string; message: string }[] = [];
    if (name.length === 0) problems.push({ field: 'clientName', message: 'required' });
    if (phone === null) {
      problems.push({ field: 'clientPhone', message: INVALID_PHONE_MESSAGE });
    }
    if (email !== null && !EMAIL.test(email))
      problems.push({ field: 'clientEmail', message: 'not an e-mail address' });
    if (problems.length > 0 || phone === null) {
      throw new AppError('validation_failed', 400, 'some fields are invalid', problems);
    }
    return { name, phone, email };
  }

  /**
   * With an `idempotencyKey`, a repeat of the same request (same user, key, fields and files)
   * answers what the first one did and creates nothing; the key with another body is a 422
   * `idempotency_key_reused`. Two repeats racing: the key's insert in the order's transaction
   * lets one win; the loser's rows and files are rolled back and it answers the winner's reply.
   */
  async function intake(
    upload: ReceivedUpload,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<OrderAccepted> {
    if (idempotencyKey === undefined) return create(upload, actor, undefined);
    const fingerprint = fingerprintOf(upload);
    const previous = () =>
      database.transaction((trx) => orderIdempotencyRepo.find(trx, actor.userId, idempotencyKey));
    const stored = await previous();
    if (stored !== undefined) return replay(stored, fingerprint);
    try {
      return await create(upload, actor, { key: idempotencyKey, fingerprint });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await previous();
      if (winner === undefined) throw error;
      return replay(winner, fingerprint);
    }
  }

  async function create(
    upload: ReceivedUpload,
    actor: Actor,
    idempotency: { key: string; fingerprint: string } | undefined,
  ): Promise<OrderAccepted> {
    const portraitFile = upload.files.portrait;
    const videoFile = upload.files.video;
    if (portraitFile === undefined || videoFile === undefined) {
      throw new AppError('validation_failed', 400, 'portrait and video files are required');
    }
    const client = checkFields(upload.fields);
    const image = await media.probeImage(portraitFile.path);
    const video = await media.probeVideo(videoFile.path);

    const portraitId = uuidv7();
    const videoId = uuidv7();
    const orderId = uuidv7();
    const slug = newSlug();
    const stored: StorageKey[] = [];
    const store = async (key: StorageKey, path: string) => {
      stored.push(key);
      await storage.put(key, createReadStream(path));
    };

    try {
      const originalKey = portraitKeys.original(portraitId, fileExtension(image.format));
      const videoKey = videoKeys.original(videoId, fileExtension(video.container));
      await store(originalKey, portraitFile.path);
      await store(videoKey, videoFile.path);

      const now = clock.now().toISOString();
      const result = await database.transaction(async (trx) => {
        const found = await clients.findOrCreate(trx, client, now);
        await portraits.insert(trx, {
          id: portraitId,
          clientId: found.client.id,
          slug,
          status: 'processing',
          error: null,
          originalKey,
          originalFormat: image.format,
          originalSize: portraitFile.size,
          width: image.width,
          height: image.height,
          imagesReadyAt: null,
          imagesError: null,
          markerVersion: 1,
          createdAt: now,
          updatedAt: now,
        });
        await portraits.insertMarker(trx, { id: uuidv7(), portraitId, version: 1, now });
        await videos.insertUploaded(trx, {
          id: videoId,
          portraitId,
          active: true,
          originalKey: videoKey,
          originalFormat: video.container,
          originalSize: videoFile.size,
          durationSeconds: video.durationSeconds,
          now,
        });
        const number = await orders.insert(trx, {
          id: orderId,
          clientId: found.client.id,
          portraitId,
          createdBy: actor.userId,
          createdAt: now,
        });
        await queue.enqueue(JOB_KINDS.portraitImages.job(portraitId), trx);
        await queue.enqueue(JOB_KINDS.marker.job(portraitId, 1), trx);
        await queue.enqueue(JOB_KINDS.video.job(videoId), trx);
        await audit.record(
          {
            action: 'order.create',
            ...byActor(actor),
            targetType: 'order',
            targetId: orderId,
            details: { number, portraitId, videoId, clientId: found.client.id },
          },
          trx,
        );
        const accepted: OrderAccepted = {
          order: { id: orderId, number, status: 'processing' },
          client: {
            id: found.client.id,
            name: found.client.name,
            phone: found.client.phone,
            created: found.created,
          },
          portrait: {
            id: portraitId,
            slug,
            status: 'processing',
            publicUrl: portraitsService.publicUrl(slug),
          },
          video: { id: videoId, status: 'processing', active: true },
        };
        if (idempotency !== undefined) {
          await orderIdempotencyRepo.insert(trx, {
            userId: actor.userId,
            key: idempotency.key,
            fingerprint: idempotency.fingerprint,
            orderId,
            response: accepted,
            createdAt: now,
          });
        }
        return accepted;
      });
      return result;
    } catch (error) {
      await Promise.allSettled(stored.map((key) => storage.delete(key)));
      throw error;
    }
  }

  return { intake };
}

export type OrderIntake = ReturnType<typeof createOrderIntake>;
