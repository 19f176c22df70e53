import type { Database } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { JOB_KINDS } from '../../jobs/job-kinds.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, notFound } from '../../shared/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PortraitsRepo } from './portraits.repo.js';
import type { PortraitDetail, PortraitsService } from './portraits.service.js';

interface Deps {
  database: Database;
  portraits: PortraitsRepo;
  portraitsService: PortraitsService;
  queue: JobQueue;
  audit: AuditService;
  clock: Clock;
}

interface Actor {
  userId: string;
  ip: string | null;
}

const markerInProgress = () =>
  new AppError(
    'marker_in_progress',
    409,
    'the current marker is still being generated; try again when it is ready or failed',
  );

/** Changes to a portrait as a whole: delete it, regenerate its marker. */
export function createPortraitActions(deps: Deps) {
  const { database, portraits, portraitsService, queue, audit, clock } = deps;
  const { db } = database;

  /**
   * Deletes the portrait with its videos, markers and order (database cascade) and, in the same
   * transaction, enqueues the deletion of its stored files (images, every marker version,
   * every video).
   */
  async function remove(id: string, actor: Actor): Promise<void> {
    const result = await db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('portraits').select(['id', 'clientId']).where('id', '=', id);
      // PostgreSQL: a concurrent new video either lands first (and is collected) or fails.
      if (database.dialect === 'postgres') query = query.forUpdate();
      const portrait = await query.executeTakeFirst();
      if (portrait === undefined) throw notFound('portrait');
      const prefixes = await portraits.storagePrefixes(trx, [id]);
      await portraits.delete(trx, id);
      await queue.enqueue(JOB_KINDS.storageCleanup.job(id, prefixes), trx);
      return { clientId: portrait.clientId, prefixes };
    });
    await audit.record({
      action: 'portrait.delete',
      actorUserId: actor.userId,
      actorIp: actor.ip,
      targetType: 'portrait',
      targetId: id,
      details: { clientId: result.clientId, storagePrefixes: result.prefixes.length },
    });
  }

  /**
   * Starts a new marker version from the original photo: a new `markers` row (processing), the
   * portrait points at it (and is processing again until it is ready) and its job is queued.
   * Earlier versions' files stay where they are.
   */
  async function regenerateMarker(id: string, actor: Actor): Promise<PortraitDetail> {
    const version = await db
      .transaction()
      .execute(async (trx) => {
        let query = trx.selectFrom('portraits').selectAll().where('id', '=', id);
        if (database.dialect === 'postgres') query = query.forUpdate();
        const portrait = await query.executeTakeFirst();
        if (portrait === undefined) throw notFound('portrait');
        const current = await portraits.currentMarker(trx, portrait);
        if (current?.status === 'processing') throw markerInProgress();
        const next =
          Math.max(portrait.markerVersion, await portraits.latestMarkerVersion(trx, id)) + 1;
        const now = clock.now().toISOString();
        await portraits.insertMarker(trx, { id: uuidv7(), portraitId: id, version: next, now });
        await trx
          .updateTable('portraits')
          .set({ markerVersion: next, updatedAt: now })
          .where('id', '=', id)
          .execute();
        await portraitsService.refreshStatus(id, trx);
        await queue.enqueue(JOB_KINDS.marker.job(id, next), trx);
        return next;
      })
      .catch((error: unknown) => {
        // Two regenerations at once (SQLite, or a lost race): the second one's version exists.
        if (isUniqueViolation(error)) throw markerInProgress();
        throw error;
      });
    await audit.record({
      action: 'portrait.marker.regenerate',
      actorUserId: actor.userId,
      actorIp: actor.ip,
      targetType: 'portrait',
      targetId: id,
      details: { version },
    });
    return portraitsService.getDetail(id);
  }

  return { remove, regenerateMarker };
}

export type PortraitActions = ReturnType<typeof createPortraitActions>;
