import type { Database } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Actor } from '../../shared/actor.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { byActor, type AuditService } from '../audit/audit.service.js';
import type { PortraitsRepo } from './portraits.repo.js';
import type { PortraitDetail } from './portraits.schemas.js';
import type { PortraitsService } from './portraits.service.js';

/** What the portrait actions use, and nothing more (tests pass fakes of exactly this). */
export interface Deps {
  database: Pick<Database, 'transaction'>;
  portraits: Pick<
    PortraitsRepo,
    | 'lockForUpdate'
    | 'storedFiles'
    | 'delete'
    | 'currentMarker'
    | 'latestMarkerVersion'
    | 'insertMarker'
    | 'setMarkerVersion'
  >;
  portraitsService: Pick<PortraitsService, 'refreshStatus' | 'getDetail'>;
  queue: Pick<JobQueue, 'enqueue'>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
}

/** A marker of this portrait is being generated: regenerating or replacing must wait. */
export const markerInProgress = () =>
  new AppError(
    'marker_in_progress',
    409,
    'the current marker is still being generated; try again when it is ready or failed',
  );

/** Changes to a portrait as a whole: delete it, regenerate its marker. */
export function createPortraitActions(deps: Deps) {
  const { database, portraits, portraitsService, queue, audit, clock } = deps;

  /**
   * Deletes the portrait with its videos, markers and order (database cascade) and, in the same
   * transaction, enqueues the deletion of its stored files (images, every marker version,
   * every video) and records the audit entry.
   */
  async function remove(id: string, actor: Actor): Promise<void> {
    await database.transaction(async (trx) => {
      // A concurrent new video either lands first (and is collected) or fails.
      const portrait = await portraits.lockForUpdate(trx, id);
      if (portrait === undefined) throw notFound('portrait');
      const files = await portraits.storedFiles(trx, [id]);
      await portraits.delete(trx, id);
      await queue.enqueue(JOB_KINDS.storageCleanup.job(id, files), trx);
      await audit.record(
        {
          action: 'portrait.delete',
          ...byActor(actor),
          targetType: 'portrait',
          targetId: id,
          details: { clientId: portrait.clientId, storagePrefixes: files.prefixes.length },
        },
        trx,
      );
    });
  }

  /**
   * Starts a new marker version from the original photo: a new `markers` row (processing), the
   * portrait points at it (and is processing again until it is ready) and its job is queued.
   * Earlier versions' files stay where they are.
   */
  async function regenerateMarker(id: string, actor: Actor): Promise<PortraitDetail> {
    await database
      .transaction(async (trx) => {
        const portrait = await portraits.lockForUpdate(trx, id);
        if (portrait === undefined) throw notFound('portrait');
        const current = await portraits.currentMarker(trx, portrait);
        if (current?.status === 'processing') throw markerInProgress();
        const next =
          Math.max(portrait.markerVersion, await portraits.latestMarkerVersion(trx, id)) + 1;
        const now = clock.now().toISOString();
        await portraits.insertMarker(trx, { id: uuidv7(), portraitId: id, version: next, now });
        await portraits.setMarkerVersion(trx, id, next, now);
        await portraitsService.refreshStatus(id, trx);
        await queue.enqueue(JOB_KINDS.marker.job(id, next), trx);
        await audit.record(
          {
            action: 'portrait.marker.regenerate',
            ...byActor(actor),
            targetType: 'portrait',
            targetId: id,
            details: { version: next },
          },
          trx,
        );
      })
      .catch((error: unknown) => {
        // Two regenerations at once (SQLite, or a lost race): the second one's version exists.
        if (isUniqueViolation(error)) throw markerInProgress();
        throw error;
      });
    return portraitsService.getDetail(id);
  }

  return { remove, regenerateMarker };
}

export type PortraitActions = ReturnType<typeof createPortraitActions>;
